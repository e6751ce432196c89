"""Join on the card, pressed as Slack sends it: a URL button still arrives as block_actions.
The click is acknowledged and audited; someone the call would refuse is told why, privately."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from acs_emulator import RunningEmulator
from bot.blocks import ids
from bot.services.access import Actor
from bot.services.domain import RoomKey, Workspace
from slack_standin import RunningStandin
from tests.bot.listeners.conftest import console_stack
from tests.support.slack_stack import Stack

PUBLIC = "https://roombot.example.com"


@pytest.fixture
def joinable(engine: Engine, emulator: RunningEmulator, standin: RunningStandin) -> Iterator[Stack]:
    secret = SecretStr("session-secret-for-join-tests-0123456789")
    settings = {"roombot_public_url": PUBLIC, "roombot_session_secret": secret}
    with console_stack(engine, emulator, standin, **settings) as stack:
        yield stack


def join_clicks(stack: Stack) -> list[tuple[str | None, str]]:
    workspace = Workspace("", stack.standin.workspace.team_id)
    assert stack.services.audit is not None
    events = stack.services.audit.latest(workspace, Actor("U0ADMIN", is_admin=True), limit=50)
    return [(e.actor_id, e.outcome.value) for e in events if e.action == "room.join_clicked"]


def the_join_button(stack: Stack) -> dict[str, object]:
    card = stack.channel_messages()[0]
    elements = [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return next(e for e in elements if e["action_id"] == ids.ROOM_JOIN)


def test_the_card_of_a_new_room_offers_join_to_its_page(joinable: Stack) -> None:
    joinable.run("/room create Standup for 30m")
    key = joinable.services.rooms.get(
        Workspace("", joinable.standin.workspace.team_id), RoomKey(number=1)
    ).join_key
    assert the_join_button(joinable)["url"] == f"{PUBLIC}/r/{key}"


def test_a_click_by_someone_on_the_roster_is_audited_and_answered_with_nothing(
    joinable: Stack,
) -> None:
    joinable.run("/room create Standup for 30m @ben")
    before = len(joinable.replies("ben"))
    joinable.press("Join", 1, user="ben")
    assert join_clicks(joinable) == [(joinable.standin.workspace.user("ben").id, "ok")]
    assert len(joinable.replies("ben")) == before


def test_someone_not_on_the_roster_is_told_privately_whom_to_ask(joinable: Stack) -> None:
    joinable.run("/room create Standup for 30m")
    joinable.press("Join", 1, user="cho")
    assert "not on the roster of room #1" in joinable.last_reply("cho")
    assert "<@U06ANA1001>" in joinable.last_reply("cho")
    assert join_clicks(joinable) == [(joinable.standin.workspace.user("cho").id, "denied")]


def test_add_to_calendar_is_acknowledged_and_answered_with_nothing(joinable: Stack) -> None:
    joinable.run("/room create Standup for 30m @ben")
    before = len(joinable.replies("ben"))
    joinable.press("Add to calendar", 1, user="ben")
    assert len(joinable.replies("ben")) == before
    assert join_clicks(joinable) == []


def test_join_link_for_me_sends_a_personal_link_privately(joinable: Stack) -> None:
    joinable.run("/room create Standup for 30m @ben")
    joinable.press("Join link for me", 1, user="ben")
    told = joinable.standin.ephemerals("ben")[-1]
    urls = [
        e.get("url", "") for b in told["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert len(urls) == 1
    assert urls[0].startswith(f"{PUBLIC}/r/")
    assert "#t=" in urls[0]
    assert "once, within 5 minutes" in told["text"]


def test_no_personal_link_for_someone_off_the_roster(joinable: Stack) -> None:
    joinable.run("/room create Standup for 30m")
    joinable.press("Join link for me", 1, user="cho")
    assert "not on the roster of room #1" in joinable.last_reply("cho")
    assert "#t=" not in json.dumps(joinable.standin.ephemerals("cho"))
