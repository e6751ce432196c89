"""Rosters: order of joining, role changes, batch reads and removal with the room."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, delete, event
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from storage import rooms
from storage.models import RoomRow
from storage.session import session_scope

Member = tuple[str, str, str]


def add(engine: Engine, room_id: int, members: list[Member], now: datetime) -> None:
    with session_scope(engine) as session:
        rooms.upsert_members(session, room_id=room_id, members=members, now=now)


def roster(engine: Engine, room_id: int) -> list[Member]:
    with session_scope(engine) as session:
        rows = rooms.list_members(session, room_id=room_id)
    return [(row.slack_user_id, row.acs_user_id, row.role) for row in rows]


def test_members_are_listed_in_the_order_they_joined(
    engine: Engine, make_room: Any, now: datetime
) -> None:
    room = make_room()
    add(engine, room.id, [("U_C", "8:acs:c", "Presenter"), ("U_A", "8:acs:a", "Attendee")], now)
    add(engine, room.id, [("U_B", "8:acs:b", "Consumer")], now)
    assert [user for user, _, _ in roster(engine, room.id)] == ["U_C", "U_A", "U_B"]


def test_upserting_a_member_again_changes_the_role_and_keeps_the_place(
    engine: Engine, make_room: Any, now: datetime
) -> None:
    room = make_room()
    add(engine, room.id, [("U_A", "8:acs:a", "Attendee"), ("U_B", "8:acs:b", "Attendee")], now)
    add(engine, room.id, [("U_C", "8:acs:c", "Attendee"), ("U_A", "8:acs:a", "Collaborator")], now)
    assert roster(engine, room.id) == [
        ("U_A", "8:acs:a", "Collaborator"),
        ("U_B", "8:acs:b", "Attendee"),
        ("U_C", "8:acs:c", "Attendee"),
    ]


def test_a_member_keeps_the_time_they_joined(engine: Engine, make_room: Any, now: datetime) -> None:
    room = make_room()
    add(engine, room.id, [("U_A", "8:acs:a", "Attendee")], now)
    add(engine, room.id, [("U_A", "8:acs:a", "Presenter")], now + timedelta(hours=1))
    with session_scope(engine) as session:
        (row,) = rooms.list_members(session, room_id=room.id)
    assert (row.role, row.added_at) == ("Presenter", now)


def test_a_person_named_twice_in_one_batch_joins_once_with_the_last_role(
    engine: Engine, make_room: Any, now: datetime
) -> None:
    room = make_room()
    batch = [("U_A", "8:acs:a", "Attendee"), ("U_B", "8:acs:b", "Attendee")]
    add(engine, room.id, [*batch, ("U_A", "8:acs:a", "Presenter")], now)
    assert roster(engine, room.id) == [("U_A", "8:acs:a", "Presenter"), batch[1]]


def test_a_roster_read_in_the_same_session_shows_the_new_role(
    engine: Engine, make_room: Any, now: datetime
) -> None:
    room = make_room()
    add(engine, room.id, [("U_A", "8:acs:a", "Attendee")], now)
    with session_scope(engine) as session:
        before = [row.role for row in rooms.list_members(session, room_id=room.id)]
        rooms.upsert_members(
            session, room_id=room.id, members=[("U_A", "8:acs:a", "Consumer")], now=now
        )
        after = [row.role for row in rooms.list_members(session, room_id=room.id)]
    assert (before, after) == (["Attendee"], ["Consumer"])


def test_an_unknown_role_is_refused(engine: Engine, make_room: Any, now: datetime) -> None:
    room = make_room()
    with pytest.raises(ValueError, match="unknown role 'Host'"):
        add(engine, room.id, [("U_A", "8:acs:a", "Host")], now)


def test_members_cannot_join_a_room_that_does_not_exist(engine: Engine, now: datetime) -> None:
    with pytest.raises(IntegrityError):
        add(engine, 404, [("U_A", "8:acs:a", "Attendee")], now)


def test_removing_members_leaves_the_others_in_order(
    engine: Engine, make_room: Any, now: datetime
) -> None:
    room = make_room()
    people = [(f"U_{n}", f"8:acs:{n}", "Attendee") for n in "ABCD"]
    add(engine, room.id, people, now)
    with session_scope(engine) as session:
        rooms.remove_members(session, room_id=room.id, slack_user_ids={"U_B", "U_D", "U_NOBODY"})
    assert roster(engine, room.id) == [people[0], people[2]]


def test_removing_nobody_changes_nothing(engine: Engine, make_room: Any, now: datetime) -> None:
    room = make_room()
    add(engine, room.id, [("U_A", "8:acs:a", "Attendee")], now)
    with session_scope(engine) as session:
        rooms.remove_members(session, room_id=room.id, slack_user_ids=[])
    assert len(roster(engine, room.id)) == 1


def test_members_of_reads_several_rosters_in_one_query(
    engine: Engine, make_room: Any, now: datetime
) -> None:
    first, second, empty = make_room(), make_room(), make_room()
    add(engine, second.id, [("U_B", "8:acs:b", "Presenter"), ("U_A", "8:acs:a", "Attendee")], now)
    add(engine, first.id, [("U_A", "8:acs:a", "Consumer")], now)
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        with session_scope(engine) as session:
            rosters = rooms.members_of(session, room_ids=[first.id, second.id, empty.id])
    finally:
        event.remove(engine, "before_cursor_execute", record)  # the engine may be shared
    by_room = {room_id: [m.slack_user_id for m in rows] for room_id, rows in rosters.items()}
    assert by_room == {first.id: ["U_A"], second.id: ["U_B", "U_A"], empty.id: []}
    assert len([sql for sql in statements if "room_member" in sql]) == 1


def test_deleting_a_room_row_deletes_its_members(
    engine: Engine, make_room: Any, now: datetime
) -> None:
    room = make_room()
    add(engine, room.id, [("U_A", "8:acs:a", "Attendee")], now)
    with session_scope(engine) as session:
        session.exec(delete(RoomRow).where(col(RoomRow.id) == room.id))
    assert roster(engine, room.id) == []
