"""Join links pasted into Slack, unfurled as Slack delivers them (link_shared to the real Bolt
app, chat.unfurl recorded by the stand-in): a room of this workspace unfurls into its compact
card; another workspace's room, a deleted room and an unknown link unfurl to nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from acs_emulator import RunningEmulator
from bot.services.domain import RoomKey, Workspace
from bot.services.new_room import NewRoom
from slack_standin import RunningStandin
from tests.bot.listeners.conftest import console_stack
from tests.support.slack_stack import Stack

PUBLIC = "https://roombot.example.com"


@pytest.fixture
def pasting(engine: Engine, emulator: RunningEmulator, standin: RunningStandin) -> Iterator[Stack]:
    settings = {
        "roombot_public_url": PUBLIC,
        "roombot_session_secret": SecretStr("session-secret-for-unfurl-tests-0123456789"),
    }
    with console_stack(engine, emulator, standin, **settings) as stack:
        yield stack


def paste(stack: Stack, text: str, channel: str = "design") -> tuple[str, dict[str, Any]]:
    """Ben posts `text` in `channel`; the unfurls RoomBot sent for it, by URL."""
    channel_id = stack.standin.workspace.channel(channel).id
    ts = stack.session.slack.post_with_links(
        channel=channel_id, user_id=stack.standin.workspace.user("ben").id, text=text
    )
    stack.session.settle()
    return ts, stack.standin.unfurls(channel_id, ts)


def link_of(stack: Stack, number: int) -> str:
    room = stack.services.rooms.get(
        Workspace("", stack.standin.workspace.team_id), RoomKey(number=number)
    )
    return f"{PUBLIC}/r/{room.join_key}"


def test_a_join_link_unfurls_into_the_rooms_compact_card(pasting: Stack) -> None:
    pasting.run("/room create Design crit for 1h @ben")
    link = link_of(pasting, 1)
    _ts, unfurls = paste(pasting, f"crit in 5 min: {link}")
    assert list(unfurls) == [link]
    blocks = unfurls[link]["blocks"]
    text = str(blocks)
    assert "*Design crit* · Room #1 · open until" in text
    join = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [(e["text"]["text"], e["url"]) for e in join] == [("Join", link)]
    calls = [c for c in pasting.standin.calls("chat.unfurl") if c.ok]
    assert len(calls) == 1


def test_a_link_pasted_with_a_query_or_slash_still_names_the_room(pasting: Stack) -> None:
    pasting.run("/room create Design crit for 1h")
    link = f"{link_of(pasting, 1)}/?from=calendar"
    _ts, unfurls = paste(pasting, link)
    assert "Design crit" in str(unfurls[link]["blocks"])


def test_another_workspaces_room_unknown_and_deleted_links_unfurl_to_nothing(
    pasting: Stack,
) -> None:
    now = pasting.services.clock()
    foreign = pasting.services.rooms.create(
        NewRoom(
            workspace=Workspace("", "T0ELSEWHERE"),
            organizer_id="U0STRANGER",
            title="Their secret",
            valid_from=now,
            valid_until=now + timedelta(hours=1),
            members={},
            pstn_dial_out_enabled=False,
            channel_id=None,
            creation_key=uuid.uuid4().hex,
        )
    ).room
    pasting.run("/room create Gone soon for 1h")
    gone = link_of(pasting, 1)
    pasting.press("Delete", 1)
    links = [f"{PUBLIC}/r/{foreign.join_key}", f"{PUBLIC}/r/{'x' * 22}", gone]
    _ts, unfurls = paste(pasting, " ".join(links))
    assert unfurls == {}
    assert pasting.standin.calls("chat.unfurl") == []
