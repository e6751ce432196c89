"""Join: a primary URL button to the room's join page while the room is open, a note saying
when it opens or that it ended otherwise, and nothing while RoomBot has no address to give."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.blocks import ids
from bot.blocks.home import app_home
from bot.blocks.reminder import reminder_message
from bot.blocks.replies import not_invited_message, room_details_message
from bot.blocks.room_card import room_card
from bot.services.domain import RoomDetails, RoomState
from bot.services.join_links import JoinLinks
from bot.services.reminders.rules import Kind, Notice

MakeRoom = Callable[..., RoomDetails]
Json = dict[str, Any]
LINKS = JoinLinks(public_url="https://roombot.example.com")
KEY = "q7Ue3mWk9dT2xYbR4sNc1A"


def join_buttons(payload: Json) -> list[Json]:
    elements = [e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return [e for e in elements if e["action_id"] == ids.ROOM_JOIN]


def contexts(payload: Json) -> list[str]:
    return [e["text"] for b in payload["blocks"] if b["type"] == "context" for e in b["elements"]]


def test_an_open_rooms_card_leads_first_with_a_primary_join_to_its_page(
    make_room: MakeRoom, now: datetime, assert_valid_message: Callable[[Json], None]
) -> None:
    card = room_card(make_room(join_key=KEY), now=now, links=LINKS)
    assert_valid_message(card)
    (join,) = join_buttons(card)
    assert (join["url"], join["style"], join["text"]["text"]) == (
        f"https://roombot.example.com/r/{KEY}",
        "primary",
        "Join",
    )
    first = next(b for b in card["blocks"] if b["type"] == "actions")["elements"][0]
    assert first is join
    assert "99524377284615023" not in join["url"]  # the slug, never the ACS room ID


def test_an_upcoming_room_says_when_join_opens_instead_of_offering_it(
    make_room: MakeRoom, now: datetime
) -> None:
    room = make_room(join_key=KEY, valid_from=now + timedelta(hours=2))
    card = room_card(room, now=now, links=LINKS)
    assert join_buttons(card) == []
    assert any(text.startswith("Join opens <!date^") for text in contexts(card))


def test_an_ended_room_says_its_call_can_no_longer_be_joined(
    make_room: MakeRoom, now: datetime
) -> None:
    room = make_room(join_key=KEY, valid_until=now - timedelta(minutes=1))
    card = room_card(room, now=now, links=LINKS)
    assert join_buttons(card) == []
    assert "This room has ended: its call can no longer be joined." in contexts(card)


def test_without_an_address_there_is_no_join_and_no_note(
    make_room: MakeRoom, now: datetime
) -> None:
    card = room_card(make_room(join_key=KEY, valid_from=now + timedelta(hours=2)), now=now)
    assert join_buttons(card) == []
    assert not any("Join" in text for text in contexts(card))


def test_join_url_template_points_join_at_the_organisations_own_app(
    make_room: MakeRoom, now: datetime
) -> None:
    links = JoinLinks(template="https://calls.example.com/join?room={acs_room_id}&k={key}")
    (join,) = join_buttons(room_card(make_room(join_key=KEY), now=now, links=links))
    assert join["url"] == f"https://calls.example.com/join?room=99524377284615023&k={KEY}"


def test_show_and_the_app_home_offer_join_too(make_room: MakeRoom, now: datetime) -> None:
    room = make_room(join_key=KEY)
    assert len(join_buttons(room_details_message(room, now=now, links=LINKS))) == 1
    home = app_home(
        rooms_upcoming=[],
        rooms_open=[room],
        rooms_ended=[],
        now=now,
        is_admin=False,
        links=LINKS,
    )
    assert len(join_buttons(home)) == 1


@pytest.mark.parametrize("kind", [Kind.OPEN, Kind.EXPIRING])
def test_reminders_of_an_open_room_carry_join(
    make_room: MakeRoom, now: datetime, kind: Kind
) -> None:
    notice = Notice(kind, make_room(join_key=KEY), now, now)
    assert len(join_buttons(reminder_message(notice, LINKS))) == 1


def test_someone_on_the_roster_is_not_told_anything(make_room: MakeRoom, now: datetime) -> None:
    assert not_invited_message(make_room(), "U0ALICE", now=now) is None


@pytest.mark.parametrize(
    ("user", "overrides", "expected"),
    [
        ("U0MALLORY", {}, "Ask <@U0ORGANIZER> (its organizer)"),
        ("U0ORGANIZER", {"members": ()}, "add yourself with *Invite*"),
        ("U0ALICE", {"state": RoomState.DELETED}, "was deleted"),
        ("U0ALICE", {"valid_until": "past"}, "has ended"),
    ],
)
def test_someone_the_call_would_refuse_is_told_why(
    make_room: MakeRoom, now: datetime, user: str, overrides: dict[str, Any], expected: str
) -> None:
    if overrides.get("valid_until") == "past":
        overrides["valid_until"] = now - timedelta(minutes=5)
    told = not_invited_message(make_room(**overrides), user, now=now)
    assert told is not None
    assert expected in told["text"]


def calendar_buttons(payload: Json) -> list[Json]:
    elements = [e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return [e for e in elements if e["action_id"] == ids.ROOM_CALENDAR]


@pytest.mark.parametrize("starts_in", [timedelta(hours=-1), timedelta(hours=2)])
def test_open_and_upcoming_rooms_offer_their_ics(
    make_room: MakeRoom, now: datetime, starts_in: timedelta
) -> None:
    room = make_room(join_key=KEY, valid_from=now + starts_in, valid_until=now + timedelta(hours=3))
    (calendar,) = calendar_buttons(room_card(room, now=now, links=LINKS))
    assert calendar["url"] == f"https://roombot.example.com/r/{KEY}/calendar.ics"


def test_no_ics_once_ended_nor_when_join_points_at_another_app(
    make_room: MakeRoom, now: datetime
) -> None:
    ended = make_room(join_key=KEY, valid_until=now - timedelta(minutes=1))
    assert calendar_buttons(room_card(ended, now=now, links=LINKS)) == []
    elsewhere = JoinLinks(template="https://calls.example.com/{acs_room_id}")
    assert calendar_buttons(room_card(make_room(join_key=KEY), now=now, links=elsewhere)) == []
