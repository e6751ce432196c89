"""Room lookups, lists and changes, and that no workspace ever sees another's rooms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from storage import rooms
from storage.errors import RoomNotFound
from storage.models import RoomRow
from storage.session import session_scope
from tests.support.sql import statements

Scope = dict[str, str]

LOOKUPS: dict[str, Callable[[Session, Scope, RoomRow], object]] = {
    "get_room": lambda s, scope, room: rooms.get_room(s, **scope, room_id=room.id),
    "find_room_by_number": lambda s, scope, room: rooms.find_room_by_number(
        s, **scope, number=room.number
    ),
    "find_room_by_acs_id": lambda s, scope, room: rooms.find_room_by_acs_id(
        s, **scope, acs_room_id=room.acs_room_id
    ),
    "find_rooms_by_title": lambda s, scope, room: rooms.find_rooms_by_title(
        s, **scope, title=room.title
    ),
    "list_rooms": lambda s, scope, room: rooms.list_rooms(s, **scope),
    "list_rooms_involving": lambda s, scope, room: rooms.list_rooms(
        s, **scope, states=("creating", "active", "deleted"), involving=room.organizer_id
    ),
}


def listed(engine: Engine, scope: Scope, **filters: Any) -> list[int]:
    with session_scope(engine) as session:
        return [row.number for row in rooms.list_rooms(session, **scope, **filters)]


@pytest.mark.parametrize("lookup", LOOKUPS.values(), ids=LOOKUPS.keys())
def test_a_lookup_finds_the_room_in_its_own_workspace(
    engine: Engine, make_room: Any, acme: Scope, lookup: Callable[..., object]
) -> None:
    room = make_room(acme)
    with session_scope(engine) as session:
        found = lookup(session, acme, room)
    assert found == room or found == [room]


@pytest.mark.parametrize("lookup", LOOKUPS.values(), ids=LOOKUPS.keys())
def test_a_lookup_never_returns_another_workspaces_room(
    engine: Engine, make_room: Any, acme: Scope, globex: Scope, lookup: Callable[..., object]
) -> None:
    room = make_room(acme)
    with session_scope(engine) as session:
        found = lookup(session, globex, room)
    assert found in (None, [])


def test_a_title_matches_regardless_of_case_beyond_ascii(
    engine: Engine, make_room: Any, acme: Scope
) -> None:
    room = make_room(title="Réunion Straße")
    with session_scope(engine) as session:
        found = rooms.find_rooms_by_title(session, **acme, title="RÉUNION STRASSE")
    assert [row.id for row in found] == [room.id]


def test_a_title_search_ignores_rooms_that_are_not_active(
    engine: Engine, make_room: Any, reserve: Any, acme: Scope, now: datetime
) -> None:
    reserve(title="Retro")
    deleted = make_room(title="Retro")
    with session_scope(engine) as session:
        rooms.mark_deleted(session, room_id=deleted.id, now=now)
        assert rooms.find_rooms_by_title(session, **acme, title="retro") == []


def test_a_title_must_match_exactly_not_partly(engine: Engine, make_room: Any, acme: Scope) -> None:
    make_room(title="Weekly retro")
    with session_scope(engine) as session:
        assert rooms.find_rooms_by_title(session, **acme, title="retro") == []


def test_rooms_are_listed_by_start_then_number(
    engine: Engine, make_room: Any, acme: Scope, now: datetime
) -> None:
    make_room(valid_from=now + timedelta(hours=2), valid_until=now + timedelta(hours=3))
    make_room(valid_from=now, valid_until=now + timedelta(hours=3))
    make_room(valid_from=now, valid_until=now + timedelta(hours=3))
    assert listed(engine, acme) == [2, 3, 1]


def test_a_list_holds_only_the_asked_states(
    engine: Engine, make_room: Any, reserve: Any, acme: Scope, now: datetime
) -> None:
    make_room()
    reserve()
    with session_scope(engine) as session:
        rooms.mark_deleted(session, room_id=make_room().id, now=now)
    assert listed(engine, acme) == [1]
    assert listed(engine, acme, states=["creating", "deleted"]) == [2, 3]


def test_a_list_involving_a_user_holds_rooms_they_organize_or_are_in(
    engine: Engine, make_room: Any, acme: Scope, now: datetime
) -> None:
    make_room(organizer_id="U_ANN")
    guest_room = make_room(organizer_id="U_BOB")
    make_room(organizer_id="U_BOB")
    with session_scope(engine) as session:
        members = [("U_ANN", "8:acs:ann", "Attendee"), ("U_CY", "8:acs:cy", "Presenter")]
        rooms.upsert_members(session, room_id=guest_room.id, members=members, now=now)
    assert listed(engine, acme, involving="U_ANN") == [1, 2]
    assert listed(engine, acme, involving="U_CY") == [2]


def test_a_list_ending_after_a_time_leaves_out_rooms_ended_by_then(
    engine: Engine, make_room: Any, acme: Scope, now: datetime
) -> None:
    make_room(valid_from=now - timedelta(hours=2), valid_until=now - timedelta(minutes=1))
    make_room(valid_from=now - timedelta(hours=2), valid_until=now + timedelta(minutes=1))
    assert listed(engine, acme, ending_after=now) == [2]


def test_a_list_stops_at_its_limit(engine: Engine, make_room: Any, acme: Scope) -> None:
    for _ in range(4):
        make_room()
    assert listed(engine, acme, limit=3) == [1, 2, 3]


def test_an_update_changes_only_the_given_fields(
    engine: Engine, make_room: Any, acme: Scope, now: datetime
) -> None:
    room = make_room(title="Old", pstn_dial_out_enabled=True)
    later = now + timedelta(minutes=7)
    with session_scope(engine) as session:
        rooms.update_room(session, room_id=room.id, now=later, valid_until=now + timedelta(days=3))
    with session_scope(engine) as session:
        row = rooms.get_room(session, **acme, room_id=room.id)
    assert row is not None
    assert (row.title, row.valid_from, row.pstn_dial_out_enabled) == ("Old", room.valid_from, True)
    assert (row.valid_until, row.updated_at) == (now + timedelta(days=3), later)


def test_a_new_title_is_found_by_title(
    engine: Engine, make_room: Any, acme: Scope, now: datetime
) -> None:
    room = make_room(title="Old")
    with session_scope(engine) as session:
        rooms.update_room(session, room_id=room.id, now=now, title="New name")
    with session_scope(engine) as session:
        found = rooms.find_rooms_by_title(session, **acme, title="new NAME")
        gone = rooms.find_rooms_by_title(session, **acme, title="old")
    assert ([row.id for row in found], gone) == ([room.id], [])


def test_setting_the_card_remembers_where_it_was_posted(
    engine: Engine, make_room: Any, acme: Scope, now: datetime
) -> None:
    room = make_room(channel_id=None)
    with session_scope(engine) as session:
        rooms.set_card(session, room_id=room.id, channel_id="C_TEAM", card_ts="1700.01", now=now)
    with session_scope(engine) as session:
        row = rooms.get_room(session, **acme, room_id=room.id)
    assert row is not None
    assert (row.channel_id, row.card_ts) == ("C_TEAM", "1700.01")


def test_a_deleted_room_keeps_its_row_in_state_deleted(
    engine: Engine, make_room: Any, acme: Scope, now: datetime
) -> None:
    room = make_room()
    later = now + timedelta(hours=1)
    with session_scope(engine) as session:
        deleted = rooms.mark_deleted(session, room_id=room.id, now=later)
    with session_scope(engine) as session:
        row = rooms.find_room_by_number(session, **acme, number=room.number)
    assert row is not None
    assert (deleted.state, row.state, row.updated_at) == ("deleted", "deleted", later)


WRITES: dict[str, Callable[[Session, int, datetime], RoomRow]] = {
    "update_room": lambda s, room_id, now: rooms.update_room(
        s, room_id=room_id, now=now, valid_until=now + timedelta(days=3)
    ),
    "set_card": lambda s, room_id, now: rooms.set_card(
        s, room_id=room_id, channel_id="C_TEAM", card_ts="1700.01", now=now
    ),
    "mark_deleted": lambda s, room_id, now: rooms.mark_deleted(s, room_id=room_id, now=now),
}


@pytest.mark.parametrize("write", WRITES)
def test_a_write_is_one_statement_that_returns_the_room_as_written(
    engine: Engine, make_room: Any, acme: Scope, now: datetime, write: str
) -> None:
    room = make_room(title="Kept")
    later = now + timedelta(minutes=7)
    with session_scope(engine) as session, statements(engine) as seen:
        written = WRITES[write](session, room.id, later)
    with session_scope(engine) as session:
        stored = rooms.get_room(session, **acme, room_id=room.id)
    assert seen == ["UPDATE room SET"]
    assert stored is not None
    assert written.model_dump() == stored.model_dump()
    assert (written.title, written.updated_at) == ("Kept", later)


@pytest.mark.parametrize(
    "change",
    [
        lambda s, now: rooms.update_room(s, room_id=404, now=now, title="x"),
        lambda s, now: rooms.set_card(s, room_id=404, channel_id="C", card_ts="1.2", now=now),
        lambda s, now: rooms.mark_deleted(s, room_id=404, now=now),
    ],
    ids=["update_room", "set_card", "mark_deleted"],
)
def test_changing_a_missing_room_raises_room_not_found(
    engine: Engine, now: datetime, change: Callable[[Session, datetime], object]
) -> None:
    with pytest.raises(RoomNotFound), session_scope(engine) as session:
        change(session, now)


def test_rows_stay_readable_after_their_session_closed(make_room: Any) -> None:
    room = make_room(title="Detached")
    assert (room.title, room.state, room.number) == ("Detached", "active", 1)
