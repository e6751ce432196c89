"""Reminders end to end: real services on a real database, the ACS emulator through the real
gateways, the Slack stand-in over loopback, and a clock the test moves by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.adapters.acs import make_acs_gateways
from bot.app import build_services
from bot.background.reminder_loop import ReminderLoop
from bot.config import Settings
from bot.services.container import Services
from slack_standin import RunningStandin
from tests.bot.reminders.support import Rooms
from tests.support.clock import ManualClock
from tests.support.slack_stack import FAST_RETRY


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=11)) as running:
        yield running


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def services(engine: Engine, emulator: RunningEmulator, clock: ManualClock) -> Iterator[Services]:
    settings = Settings(_env_file=None, roombot_admins=frozenset({"U06EVE1005"}))  # type: ignore[call-arg]
    gateways = make_acs_gateways(
        connection_string=emulator.connection_string, retry=FAST_RETRY, timeout_s=10.0
    )
    built = build_services(settings, clock=clock, engine=engine, gateways=gateways)
    built.closers.extend(gateway.close for gateway in gateways)
    yield built
    built.close()


@pytest.fixture
def client(standin: RunningStandin) -> WebClient:
    return WebClient(token=standin.bot_token, base_url=standin.base_url)


@pytest.fixture
def worker(services: Services, client: WebClient, clock: ManualClock) -> ReminderLoop:
    return ReminderLoop(
        services, lambda _workspace: client, clock=clock, poll_seconds=1, owner_id="worker-1"
    )


@pytest.fixture
def rooms(
    services: Services, client: WebClient, emulator: RunningEmulator, engine: Engine
) -> Rooms:
    return Rooms(services, client, emulator, engine)
