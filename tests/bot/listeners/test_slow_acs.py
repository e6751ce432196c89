"""Slow ACS never delays Slack's 3-second acknowledgement: the work happens after it."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.app import console_session
from bot.config import Settings
from slack_standin import RunningStandin
from tests.support.slack_stack import make_services


@pytest.fixture
def slow_emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(latency_ms=5000)) as running:
        yield running


def test_create_is_acknowledged_fast_and_the_card_follows(
    engine: Engine, slow_emulator: RunningEmulator, standin: RunningStandin
) -> None:
    services = make_services(engine, slow_emulator)
    settings = Settings(_env_file=None, slack_signing_secret=SecretStr("s"))  # type: ignore[call-arg]
    session = console_session(services, standin, settings, "ana", "general")
    try:
        started = time.perf_counter()
        response = session.slack.command(
            user_id=session.user,
            channel_id=session.channel,
            text="create Slow one",
            response_url=standin.new_response_url(session.channel, session.user),
            trigger_id=standin.new_trigger_id("ana"),
        )
        acked_after = time.perf_counter() - started
        assert response.status == 200
        assert acked_after < 1.0
        card = standin.wait_for("chat.postMessage", timeout=60)
        assert "Slow one" in card.args["text"]
    finally:
        session.executor.shutdown(wait=True)
        services.close()
