"""Over real HTTP, every kind of Slack request must be signed, and signed within five minutes.

Commands, interactions and events each get 401 when unsigned, badly signed, stale (>300 s) or
signed too far in the future, and nothing reaches the Slack stand-in or the store.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from urllib.parse import urlencode

import pytest

from slack_standin import RunningStandin
from slack_standin.payloads import APP_ID
from tests.bot.run_modes.conftest import Served
from tests.bot.run_modes.helpers import SIGNING_SECRET, HttpSlack, http

Body = tuple[str, str]  # (body, content type)


def command_body(standin: RunningStandin) -> Body:
    ana, general = standin.workspace.user("ana").id, standin.workspace.channel("general").id
    form = {
        "team_id": standin.workspace.team_id,
        "user_id": ana,
        "channel_id": general,
        "command": "/room",
        "text": "create Forged",
        "response_url": standin.new_response_url(general, ana),
        "trigger_id": standin.new_trigger_id("ana"),
        "api_app_id": APP_ID,
    }
    return urlencode(form), "application/x-www-form-urlencoded"


def interaction_body(standin: RunningStandin) -> Body:
    payload = {
        "type": "shortcut",
        "callback_id": "create_room_shortcut",
        "trigger_id": standin.new_trigger_id("ana"),
        "user": {"id": standin.workspace.user("ana").id, "team_id": standin.workspace.team_id},
        "team": {"id": standin.workspace.team_id},
        "api_app_id": APP_ID,
    }
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def event_body(standin: RunningStandin) -> Body:
    envelope = {
        "team_id": standin.workspace.team_id,
        "api_app_id": APP_ID,
        "type": "event_callback",
        "event_id": "Ev0FORGED01",
        "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": standin.workspace.user("ana").id},
        "authorizations": [{"team_id": standin.workspace.team_id, "is_bot": True}],
    }
    return json.dumps(envelope), "application/json"


KINDS: dict[str, Callable[[RunningStandin], Body]] = {
    "command": command_body,
    "interaction": interaction_body,
    "event": event_body,
}


def post(server: Served, body: Body, headers: dict[str, str]) -> int:
    text, content_type = body
    sent = {"Content-Type": content_type, **headers}
    return http(f"{server.url}/slack/events", data=text.encode(), headers=sent).status


def signed(body: Body, *, secret: str = SIGNING_SECRET, at: float | None = None) -> dict[str, str]:
    signer = HttpSlack("http://unused", team_id="T0", signing_secret=secret)
    return signer.signed_headers(body[0], timestamp=int(time.time() if at is None else at))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda body: {}, id="unsigned"),
        pytest.param(
            lambda body: {"X-Slack-Request-Timestamp": str(int(time.time()))}, id="no signature"
        ),
        pytest.param(lambda body: signed(body, secret="not-our-secret"), id="badly signed"),
        pytest.param(
            lambda body: {**signed(body), "X-Slack-Signature": "v0=" + "0" * 64},
            id="signature of zeros",
        ),
        pytest.param(lambda body: signed(body, at=time.time() - 301), id="stale by 301 s"),
        pytest.param(lambda body: signed(body, at=time.time() + 301), id="future by 301 s"),
        pytest.param(
            lambda body: {**signed(body), "X-Slack-Request-Timestamp": "not-a-number"},
            id="garbled timestamp",
        ),
    ],
)
def test_a_request_without_a_fresh_valid_signature_gets_401_and_does_nothing(
    server: Served,
    standin: RunningStandin,
    kind: str,
    headers: Callable[[Body], dict[str, str]],
) -> None:
    body = KINDS[kind](standin)
    assert post(server, body, headers(body)) == 401
    assert [c.method for c in standin.calls() if c.method != "auth.test"] == []


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_request_signed_now_is_accepted(
    server: Served, standin: RunningStandin, kind: str
) -> None:
    body = KINDS[kind](standin)
    assert post(server, body, signed(body)) == 200


@pytest.mark.parametrize("kind", KINDS)
def test_a_signed_body_edited_after_signing_gets_401(
    server: Served, standin: RunningStandin, kind: str
) -> None:
    body = KINDS[kind](standin)
    headers = signed(body)
    edited = (body[0].replace("ana", "eve").replace("Forged", "Edited") + " ", body[1])
    assert post(server, edited, headers) == 401
