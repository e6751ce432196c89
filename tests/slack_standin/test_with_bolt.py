"""The stand-in serves a real Bolt app: construction, a command, a modal and respond()."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from slack_bolt import Ack, App, BoltRequest, Respond
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from slack_standin import RunningStandin

SECRET = "signing-secret"
MODAL = {
    "type": "modal",
    "title": {"type": "plain_text", "text": "Create room"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Loading…"}}],
}


def _app(standin: RunningStandin) -> App:
    client = WebClient(token=standin.bot_token, base_url=standin.base_url)
    app = App(client=client, signing_secret=SECRET, process_before_response=True)

    @app.command("/room")
    def room(ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=MODAL)
        respond("Opening the form…")

    return app


def _command(standin: RunningStandin) -> BoltRequest:
    form = {
        "command": "/room",
        "text": "",
        "team_id": "T0DEMO",
        "user_id": "U06BEN1002",
        "channel_id": "C0DESIGN",
        "trigger_id": standin.new_trigger_id("ben"),
        "response_url": standin.new_response_url("C0DESIGN", "U06BEN1002"),
    }
    body = urlencode(form)
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    headers = {
        "content-type": ["application/x-www-form-urlencoded"],
        "x-slack-signature": [signature],
        "x-slack-request-timestamp": [stamp],
    }
    return BoltRequest(body=body, headers=headers)


def test_a_bolt_app_verifies_its_token_with_auth_test(standin: RunningStandin) -> None:
    _app(standin)

    assert standin.calls("auth.test")[0].ok


def test_a_bolt_command_opens_a_modal_and_responds(standin: RunningStandin) -> None:
    app = _app(standin)

    response = app.dispatch(_command(standin))

    assert response.status == 200
    assert [v["title"]["text"] for v in standin.modal_stack("ben")] == ["Create room"]
    assert [e["text"] for e in standin.ephemerals("ben")] == ["Opening the form…"]
