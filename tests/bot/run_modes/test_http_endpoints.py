"""`roombot serve` over real HTTP: Slack's three kinds of request, and its signature rules."""

from __future__ import annotations

import json
import time
from typing import Any

from bot.blocks import ids
from slack_standin import RunningStandin, SlackCall
from tests.bot.run_modes.conftest import Served
from tests.bot.run_modes.helpers import HttpSlack, http


def ana_types(slack: HttpSlack, standin: RunningStandin, text: str) -> Any:
    ana, general = standin.workspace.user("ana").id, standin.workspace.channel("general").id
    return slack.command(
        user_id=ana,
        channel_id=general,
        text=text,
        response_url=standin.new_response_url(general, ana),
        trigger_id=standin.new_trigger_id("ana"),
    )


def replied(text: str) -> Any:
    return lambda call: text in json.dumps(call.args)


def test_a_slash_command_is_acknowledged_and_its_reply_follows(
    server: Served, standin: RunningStandin
) -> None:
    response = ana_types(server.slack(standin.workspace.team_id), standin, "create Standup")
    assert response.status == 200
    standin.wait_for("response_url", replied("Room #1 is ready"))


def test_a_shortcut_from_the_interactivity_url_opens_the_create_modal(
    server: Served, standin: RunningStandin
) -> None:
    response = server.slack(standin.workspace.team_id).shortcut(
        user_id=standin.workspace.user("ana").id,
        callback_id=ids.CREATE_ROOM_SHORTCUT,
        trigger_id=standin.new_trigger_id("ana"),
    )
    assert response.status == 200
    standin.wait_for("views.open")


def test_url_verification_echoes_the_challenge(server: Served, standin: RunningStandin) -> None:
    slack = server.slack(standin.workspace.team_id)
    body = json.dumps({"type": "url_verification", "token": "unused", "challenge": "c-42"})
    response = slack.send(body, "application/json")
    assert response.status == 200
    assert json.loads(str(response.body)) == {"challenge": "c-42"}


def test_a_request_signed_with_another_secret_gets_401_and_runs_nothing(
    server: Served, standin: RunningStandin
) -> None:
    forger = server.slack(standin.workspace.team_id, signing_secret="not-the-secret")
    assert ana_types(forger, standin, "create Forged").status == 401
    assert ana_types(server.slack(standin.workspace.team_id), standin, "help").status == 200
    assert not any("Forged" in json.dumps(c.args) for c in standin.calls())


def test_a_request_signed_more_than_five_minutes_ago_gets_401(
    server: Served, standin: RunningStandin
) -> None:
    replayer = server.slack(standin.workspace.team_id)
    replayer.timestamp = int(time.time()) - 301
    assert ana_types(replayer, standin, "help").status == 401


def test_healthz_says_the_database_and_acs_are_ok(server: Served) -> None:
    answer = http(f"{server.url}/healthz")
    assert answer.status == 200
    assert answer.json() == {
        "status": "ok",
        "checks": {
            "database": {"ok": True, "detail": "ok"},
            "acs": {"ok": True, "detail": "ok"},
            "work": {"ok": True, "detail": "job worker running"},  # in serve's own threads here
        },
    }


def test_an_unknown_path_is_not_found(server: Served) -> None:
    assert http(f"{server.url}/nothing-here").status == 404


def test_single_workspace_mode_offers_no_install_page(server: Served) -> None:
    assert http(f"{server.url}/slack/install").status == 404


def test_the_reply_goes_out_with_the_configured_bot_token(
    server: Served, standin: RunningStandin
) -> None:
    ana_types(server.slack(standin.workspace.team_id), standin, "create Tokens")
    card: SlackCall = standin.wait_for("chat.postMessage")
    assert card.token == standin.bot_token
