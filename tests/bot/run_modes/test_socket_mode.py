"""`roombot socket`: Bolt's Socket Mode handler, built around the same app as `serve`."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from acs_emulator import RunningEmulator
from bot.app import assemble
from bot.config import Settings
from bot.run_modes.process import Options, ProcessKind
from bot.run_modes.process import Process as Runtime
from bot.run_modes.socket import run_socket_mode, socket_handler
from bot.services.errors import ConfigurationError
from slack_standin import RunningStandin, payloads
from tests.bot.run_modes.conftest import fast_gateways, single_workspace
from tests.bot.run_modes.socket_slack import FakeSocketSlack

APP_TOKEN = "xapp-1-A0ROOMBOT-1-socket-test"


@pytest.fixture
def settings(standin: RunningStandin, emulator: RunningEmulator, engine_url: str) -> Settings:
    return single_workspace(standin, emulator, engine_url)


@pytest.fixture
def runtime(settings: Settings, emulator: RunningEmulator) -> Iterator[Runtime]:
    gateways = fast_gateways(emulator.connection_string)
    built = assemble(settings, ProcessKind.SERVING, Options(gateways=gateways))
    built.services.closers.extend(gateway.close for gateway in gateways)  # type: ignore[attr-defined]
    yield built
    built.close()


def with_app_token(settings: Settings) -> Settings:
    return settings.model_copy(update={"slack_app_token": SecretStr(APP_TOKEN)})


def test_the_handler_serves_the_app_with_the_app_level_token(
    runtime: Runtime, settings: Settings
) -> None:
    handler = socket_handler(runtime.app, with_app_token(settings))
    assert handler.app is runtime.app
    assert handler.client.app_token == APP_TOKEN
    assert handler.client.auto_reconnect_enabled is True


def test_the_socket_url_is_asked_of_slack_api_url(
    runtime: Runtime, settings: Settings, standin: RunningStandin
) -> None:
    handler = socket_handler(runtime.app, with_app_token(settings))
    assert handler.client.web_client.base_url == standin.base_url


def test_the_handler_refuses_without_an_app_token(runtime: Runtime, settings: Settings) -> None:
    with pytest.raises(ConfigurationError, match=r"^SLACK_APP_TOKEN is not set"):
        socket_handler(runtime.app, settings)


def test_a_slash_command_over_the_websocket_is_acked_on_it_and_answered(
    settings: Settings, standin: RunningStandin
) -> None:
    ana, general = standin.workspace.user("ana").id, standin.workspace.channel("general").id
    command = payloads.command_form(
        payloads.Sender(standin.workspace.team_id, workspace=standin.workspace),
        user_id=ana,
        channel_id=general,
        command="/room",
        text="create Socketed",
        urls={
            "response_url": standin.new_response_url(general, ana),
            "trigger_id": standin.new_trigger_id("ana"),
        },
    )
    # Socket Mode's envelope, as Slack sends it (apps.connections.open → WebSocket).
    envelope = {"envelope_id": "env-1", "type": "slash_commands", "payload": command}
    envelope |= {"accepts_response_payload": True, "retry_attempt": 0, "retry_reason": ""}
    with FakeSocketSlack(standin.root_url) as slack:
        update = {"slack_api_url": slack.api_url, "slack_app_token": SecretStr(APP_TOKEN)}
        stop = threading.Event()
        running = threading.Thread(
            target=run_socket_mode,
            args=(settings.model_copy(update=update),),
            kwargs={"stop": stop},
        )
        running.start()
        try:
            slack.wait_connected()
            slack.send(envelope)
            ack = slack.received.get(timeout=20)
            standin.wait_for("response_url", lambda call: "Room #1 is ready" in str(call.args))
        finally:
            stop.set()
            running.join(timeout=60)
    assert ack["envelope_id"] == "env-1"
    assert not running.is_alive()
