"""Fixtures for failure handling: a fault-free ACS emulator and the Slack stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.slack_standin import RunningStandin, demo_workspace, start_slack_standin


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=5)) as running:
        yield running


@pytest.fixture
def standin() -> Iterator[RunningStandin]:
    with start_slack_standin(demo_workspace()) as running:
        yield running
