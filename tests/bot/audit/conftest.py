"""Fixtures for the audit trail: the whole app offline (see tests/support/slack_stack.py) with
the audit settings a module asks for, and the AuditTrail alone on a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.app import console_session
from bot.config import Settings
from bot.services.audit.trail import AuditTrail
from slack_standin import Channel, RunningStandin, demo_workspace, start_slack_standin
from slack_standin.workspace import ROOMBOT_USER_ID
from tests.bot.audit.helpers import AUDIT_CHANNEL, EVE, START, Clock
from tests.support.slack_stack import Stack, make_services


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=11)) as running:
        yield running


@pytest.fixture
def standin() -> Iterator[RunningStandin]:
    workspace = demo_workspace()
    audit = Channel(AUDIT_CHANNEL, "audit", ["U06ANA1001", ROOMBOT_USER_ID], is_private=True)
    workspace.channels[audit.id] = audit
    with start_slack_standin(workspace) as running:
        yield running


@pytest.fixture
def audit_settings() -> dict[str, Any]:
    """Settings on top of the defaults; a module overrides this fixture to change them."""
    return {}


@pytest.fixture
def stack(
    engine: Engine,
    emulator: RunningEmulator,
    standin: RunningStandin,
    audit_settings: dict[str, Any],
) -> Iterator[Stack]:
    """ana is a workspace admin, eve a RoomBot admin (ROOMBOT_ADMINS), ben and cho neither."""
    services = make_services(engine, emulator, roombot_admins=frozenset({EVE}), **audit_settings)
    secret = SecretStr("test-secret")
    settings = Settings(_env_file=None, slack_signing_secret=secret, **audit_settings)
    session = console_session(services, standin, settings, "ana", "general")
    try:
        yield Stack(session, standin, services, emulator)
    finally:
        session.executor.shutdown(wait=True)
        services.close()


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def trail(engine: Engine, clock: Clock) -> AuditTrail:
    """The trail alone, keeping 30 days, on a clock the test moves."""
    return AuditTrail(engine=engine, clock=clock, retention_days=30, page_size=3)
