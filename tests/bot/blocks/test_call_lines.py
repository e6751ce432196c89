"""What the card, the App Home and `/room show` say about a room's call: live, with who is in
it, then how the last call went; nothing before any call, and nothing once the room is gone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.blocks.calls import call_block_message, call_line
from bot.blocks.home import app_home
from bot.blocks.room_card import room_card
from bot.services.domain import CallStatus, RoomState
from tests.bot.blocks.conftest import NOW, MakeRoom

STARTED = NOW - timedelta(minutes=30)


def live(**overrides: Any) -> CallStatus:
    fields: dict[str, Any] = {
        "started_at": STARTED,
        "ended_at": None,
        "in_call": ("U0ORGANIZER", "U0ALICE"),
        "guests_in_call": 1,
        "people": 3,
    }
    return CallStatus(**(fields | overrides))


def test_a_live_call_says_since_when_how_many_and_who() -> None:
    line = call_line(live())
    assert line is not None
    assert line.startswith(f":red_circle: *Live* since <!date^{int(STARTED.timestamp())}^{{time}}|")
    assert line.endswith("3 in the call: <@U0ORGANIZER>, <@U0ALICE>, 1 guest")


def test_an_empty_live_call_says_nobody_is_in_it() -> None:
    line = call_line(live(in_call=(), guests_in_call=0))
    assert line is not None
    assert line.endswith("nobody in the call right now")


def test_a_crowd_is_cut_with_and_n_more_within_the_line() -> None:
    crowd = tuple(f"U0PERSON{i:04d}" for i in range(200))
    line = call_line(live(in_call=crowd, guests_in_call=0))
    assert line is not None
    assert "200 in the call" in line
    assert "…and " in line
    assert len(line) < 800


def test_an_ended_call_says_when_how_long_and_how_many_came() -> None:
    ended = live(ended_at=STARTED + timedelta(minutes=45), duration_seconds=2700.4, people=4)
    line = call_line(ended)
    assert line is not None
    assert line.startswith("Last call: <!date^")
    assert line.endswith(", 45 min, 4 people")
    short = call_line(live(ended_at=STARTED + timedelta(seconds=20), people=1))
    assert short is not None
    assert short.endswith(", under a minute, 1 person")


def test_no_call_no_line() -> None:
    assert call_line(None) is None


def test_the_card_and_the_home_row_carry_the_line_but_not_for_a_deleted_room(
    make_room: MakeRoom,
    texts: Callable[[Any], list[str]],
    assert_valid_message: Callable[[dict[str, Any]], None],
) -> None:
    room = make_room(call=live())
    card = room_card(room, now=NOW)
    assert_valid_message(card)
    assert any("3 in the call" in t for t in texts(card))
    home = app_home(now=NOW, is_admin=False, rooms_open=[room], rooms_upcoming=[], rooms_ended=[])
    assert any("3 in the call" in t for t in texts(home))
    gone = make_room(call=live(), state=RoomState.DELETED)
    assert not any("in the call" in t for t in texts(room_card(gone, now=NOW)))


def test_the_call_block_message_names_the_room_and_carries_the_call(make_room: MakeRoom) -> None:
    message = call_block_message(make_room(), "R0CALL")
    assert message["text"] == "Call of room #12: Weekly sync"
    assert message["blocks"] == [{"type": "call", "call_id": "R0CALL"}]
