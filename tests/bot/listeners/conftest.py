"""Fixtures for the Slack surface: see tests/support/slack_stack.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.app import console_session
from bot.config import Settings
from slack_standin import RunningStandin
from tests.support.slack_stack import Stack, make_services


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=3)) as running:
        yield running


@pytest.fixture
def stack(engine: Engine, emulator: RunningEmulator, standin: RunningStandin) -> Iterator[Stack]:
    ana = standin.workspace.user("ana")
    services = make_services(engine, emulator, roombot_admins=frozenset({"U06EVE1005"}))
    settings = Settings(_env_file=None, slack_signing_secret=SecretStr("test-secret"))  # type: ignore[call-arg]
    session = console_session(services, standin, settings, ana.name, "general")
    try:
        yield Stack(session, standin, services, emulator)
    finally:
        session.executor.shutdown(wait=True)
        services.close()
