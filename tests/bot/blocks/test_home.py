from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.blocks import ids
from bot.blocks.home import app_home
from bot.services.domain import RoomDetails

MakeRoom = Callable[..., RoomDetails]
Json = dict[str, Any]


def home(now: datetime, **groups: Any) -> Json:
    rooms: Json = {"rooms_upcoming": [], "rooms_open": [], "rooms_ended": []} | groups
    return app_home(now=now, is_admin=groups.pop("is_admin", False), **rooms)


def actions_of(view: Json) -> list[str]:
    return [e["action_id"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_an_empty_home_parses_and_offers_a_create_button(
    now: datetime, assert_valid_view: Callable[[Json], None]
) -> None:
    view = home(now)
    assert_valid_view(view)
    assert view["type"] == "home"
    assert actions_of(view) == [ids.HOME_CREATE]


def test_empty_groups_say_how_to_create_a_room(
    now: datetime, texts: Callable[[Json], list[str]]
) -> None:
    assert "Nothing scheduled. Press *Create a room* or type `/room create`." in texts(home(now))


def test_each_room_shows_its_summary_and_the_card_buttons(
    make_room: MakeRoom, now: datetime, texts: Callable[[Json], list[str]]
) -> None:
    view = home(now, rooms_open=[make_room()])
    assert any(t.startswith("*#12* Weekly sync · open until <!date^") for t in texts(view))
    assert ids.ROOM_EDIT_OPEN in actions_of(view)
    assert ids.ROOM_DELETE in actions_of(view)


def test_an_upcoming_room_says_when_it_starts(
    make_room: MakeRoom, now: datetime, texts: Callable[[Json], list[str]]
) -> None:
    room = make_room(valid_from=now + timedelta(days=1), valid_until=now + timedelta(days=2))
    assert any("starts <!date^" in t for t in texts(home(now, rooms_upcoming=[room])))


def test_a_title_typed_with_a_ping_is_escaped_on_the_home_tab(
    make_room: MakeRoom, now: datetime
) -> None:
    view = home(now, rooms_open=[make_room(title="<!here> hi")])
    assert "<!here>" not in json.dumps(view)


def test_many_rooms_stay_within_100_blocks_and_point_to_room_list(
    make_room: MakeRoom,
    now: datetime,
    assert_valid_view: Callable[[Json], None],
    texts: Callable[[Json], list[str]],
) -> None:
    rooms = [make_room(number=n) for n in range(1, 121)]
    view = home(now, rooms_open=rooms, rooms_upcoming=rooms, rooms_ended=rooms)
    assert_valid_view(view)
    assert len(view["blocks"]) <= 100
    more = [
        t for t in texts(view) if t.startswith("…and ") and t.endswith(" more, use `/room list`")
    ]
    assert len(more) == 3


def test_a_crowd_of_open_rooms_does_not_hide_the_upcoming_ones(
    make_room: MakeRoom, now: datetime, texts: Callable[[Json], list[str]]
) -> None:
    crowd = [make_room(number=n) for n in range(1, 200)]
    later = make_room(
        number=500, valid_from=now + timedelta(days=1), valid_until=now + timedelta(days=2)
    )
    view = home(now, rooms_open=crowd, rooms_upcoming=[later])
    assert any(t.startswith("*#500* ") for t in texts(view))


AUDIT_SECTION = {
    "type": "section",
    "text": {"type": "mrkdwn", "text": "audit"},
    "block_id": "audit_summary",
}


def empty_home_with_audit_section(now: datetime, *, is_admin: bool) -> dict[str, Any]:
    return app_home(
        rooms_upcoming=[],
        rooms_open=[],
        rooms_ended=[],
        now=now,
        is_admin=is_admin,
        admin_section=[AUDIT_SECTION],
    )


def test_the_admin_section_is_shown_to_admins(now: datetime) -> None:
    view = empty_home_with_audit_section(now, is_admin=True)
    assert view["blocks"][-1] == AUDIT_SECTION


def test_the_admin_section_is_hidden_from_everyone_else(now: datetime) -> None:
    view = empty_home_with_audit_section(now, is_admin=False)
    assert AUDIT_SECTION not in view["blocks"]


def test_a_huge_admin_section_still_leaves_a_valid_home(
    make_room: MakeRoom, now: datetime, assert_valid_view: Callable[[Json], None]
) -> None:
    extra = [{"type": "divider"} for _ in range(150)]
    rooms = [make_room(number=n) for n in range(1, 60)]
    view = app_home(
        rooms_upcoming=rooms,
        rooms_open=[],
        rooms_ended=[],
        now=now,
        is_admin=True,
        admin_section=extra,
    )
    assert_valid_view(view)
