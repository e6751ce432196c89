"""Reconciliation end to end: real services on a real database, the ACS emulator over loopback
through the real SDK gateways, and a clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.adapters.acs import make_acs_gateways
from bot.app import build_services
from bot.config import Settings
from tests.bot.reconcile.support import World
from tests.support.clock import ManualClock
from tests.support.slack_stack import FAST_RETRY


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    # One per test: the reconciler lists every room of the resource.
    with start_emulator(EmulatorConfig(seed=5)) as running:
        yield running


@pytest.fixture
def world(engine: Engine, emulator: RunningEmulator) -> Iterator[World]:
    clock = ManualClock()
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    gateways = make_acs_gateways(
        connection_string=emulator.connection_string, retry=FAST_RETRY, timeout_s=10.0
    )
    behind_its_back = make_acs_gateways(
        connection_string=emulator.connection_string, retry=FAST_RETRY, timeout_s=10.0
    )
    services = build_services(settings, clock=clock, engine=engine, gateways=gateways)
    services.closers.extend(gateway.close for gateway in (*gateways, *behind_its_back))
    yield World(services, emulator, engine, *behind_its_back, clock)
    services.close()
