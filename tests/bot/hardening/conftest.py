"""Fixtures for failure handling: a fault-free ACS emulator and the Slack stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=5)) as running:
        yield running
