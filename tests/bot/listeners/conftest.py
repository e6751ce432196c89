"""Fixtures for the Slack surface: see tests/support/slack_stack.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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


@contextmanager
def console_stack(
    engine: Engine, emulator: RunningEmulator, standin: RunningStandin, **settings: Any
) -> Iterator[Stack]:
    """The real app as ana sees it in #general, on services built with `settings`."""
    services = make_services(engine, emulator, **settings)
    signing = Settings(_env_file=None, slack_signing_secret=SecretStr("test-secret"))  # type: ignore[call-arg]
    session = console_session(
        services, standin, signing, standin.workspace.user("ana").name, "general"
    )
    try:
        yield Stack(session, standin, services, emulator)
    finally:
        session.executor.shutdown(wait=True)
        services.close()


@pytest.fixture
def stack(engine: Engine, emulator: RunningEmulator, standin: RunningStandin) -> Iterator[Stack]:
    with console_stack(engine, emulator, standin, roombot_admins=frozenset({"U06EVE1005"})) as it:
        yield it
