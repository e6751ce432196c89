"""Services against a real database and the ACS emulator through the real gateways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.services.container import Services
from tests.support.slack_stack import make_services


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=5)) as running:
        yield running


@pytest.fixture
def services(engine: Engine, emulator: RunningEmulator) -> Iterator[Services]:
    built = make_services(engine, emulator)
    yield built
    built.close()
