"""Reserving room numbers, double submits, activation and discarding reservations."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from storage import reservations, rooms
from storage.errors import RoomNotFound
from storage.models import RoomRow
from storage.session import session_scope
from tests.support.sql import statements

Scope = dict[str, str]


def reservation(now: datetime, key: str, **fields: Any) -> dict[str, Any]:
    return {
        "creation_key": key,
        "title": "Planning",
        "organizer_id": "U_ORG",
        "channel_id": None,
        "valid_from": now,
        "valid_until": now + timedelta(days=1),
        "pstn_dial_out_enabled": True,
        "now": now,
    } | fields


def activate(
    engine: Engine, room: RoomRow, acs_room_id: str, now: datetime
) -> tuple[RoomRow, bool]:
    assert room.id is not None
    with session_scope(engine) as session:
        return reservations.activate_room(
            session,
            room_id=room.id,
            acs_room_id=acs_room_id,
            valid_from=now + timedelta(minutes=5),
            valid_until=now + timedelta(days=2),
            pstn_dial_out_enabled=False,
            now=now + timedelta(seconds=3),
        )


def count_rooms(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(RoomRow)).one()


def test_a_reservation_is_creating_and_holds_what_was_asked(
    engine: Engine, acme: Scope, now: datetime
) -> None:
    with session_scope(engine) as session:
        row, is_new = reservations.reserve_room(session, **acme, **reservation(now, "k1"))
    assert is_new
    assert (row.number, row.state, row.acs_room_id, row.title) == (1, "creating", None, "Planning")
    assert (row.created_at, row.updated_at, row.valid_until) == (now, now, now + timedelta(days=1))


def test_numbers_count_up_separately_in_each_workspace(
    reserve: Any, acme: Scope, globex: Scope
) -> None:
    numbers = [(scope["enterprise_id"], reserve(scope).number) for scope in (acme, globex) * 3]
    assert numbers == [("", 1), ("E_GLOBEX", 1), ("", 2), ("E_GLOBEX", 2), ("", 3), ("E_GLOBEX", 3)]


def test_a_repeated_creation_key_returns_the_first_room_unchanged(
    engine: Engine, acme: Scope, now: datetime
) -> None:
    with session_scope(engine) as session:
        first, _ = reservations.reserve_room(session, **acme, **reservation(now, "dup"))
    with session_scope(engine) as session:
        again, is_new = reservations.reserve_room(
            session, **acme, **reservation(now, "dup", title="Other")
        )
    assert not is_new
    assert (again.id, again.number, again.title) == (first.id, 1, "Planning")
    assert count_rooms(engine) == 1


def test_the_same_creation_key_in_another_workspace_makes_another_room(
    engine: Engine, acme: Scope, globex: Scope, now: datetime
) -> None:
    with session_scope(engine) as session:
        ours, _ = reservations.reserve_room(session, **acme, **reservation(now, "same"))
        theirs, is_new = reservations.reserve_room(session, **globex, **reservation(now, "same"))
    assert is_new
    assert ours.id != theirs.id


def test_concurrent_reservations_in_one_workspace_get_distinct_numbers(
    engine: Engine, acme: Scope, now: datetime
) -> None:
    requests = 8
    start = threading.Barrier(requests)

    def submit(n: int) -> tuple[int, bool]:
        start.wait()
        with session_scope(engine) as session:
            row, is_new = reservations.reserve_room(session, **acme, **reservation(now, f"key-{n}"))
        return row.number, is_new

    with ThreadPoolExecutor(requests) as pool:
        results = list(pool.map(submit, range(requests)))
    assert sorted(number for number, _ in results) == list(range(1, requests + 1))
    assert all(is_new for _, is_new in results)


def test_concurrent_double_submits_make_one_room(
    engine: Engine, acme: Scope, now: datetime
) -> None:
    submits = 6
    start = threading.Barrier(submits)

    def submit(_: int) -> tuple[int | None, bool]:
        start.wait()
        with session_scope(engine) as session:
            row, is_new = reservations.reserve_room(
                session, **acme, **reservation(now, "double-click")
            )
        return row.id, is_new

    with ThreadPoolExecutor(submits) as pool:
        results = list(pool.map(submit, range(submits)))
    assert len({room_id for room_id, _ in results}) == 1
    assert [is_new for _, is_new in results].count(True) == 1
    assert count_rooms(engine) == 1


def test_activation_records_what_acs_created(engine: Engine, reserve: Any, now: datetime) -> None:
    row, activated = activate(engine, reserve(), "99112233445566778", now)
    assert activated
    assert (row.state, row.acs_room_id, row.pstn_dial_out_enabled) == (
        "active",
        "99112233445566778",
        False,
    )
    assert (row.valid_from, row.valid_until) == (
        now + timedelta(minutes=5),
        now + timedelta(days=2),
    )
    assert row.updated_at == now + timedelta(seconds=3)


def test_a_reservation_is_not_read_back_after_its_insert(
    engine: Engine, reserve: Any, acme: Scope, now: datetime
) -> None:
    with statements(engine) as seen:
        row = reserve()
    assert seen[-1].startswith("INSERT INTO room")  # it returns the row it inserted
    with session_scope(engine) as session:
        stored = rooms.get_room(session, **acme, room_id=row.id)
    assert stored is not None
    assert row.model_dump() == stored.model_dump()


def test_an_activation_returns_the_row_it_activated_without_reading_it(
    engine: Engine, reserve: Any, now: datetime
) -> None:
    reserved = reserve()
    with statements(engine) as seen:
        activate(engine, reserved, "99112233445566778", now)
    assert seen == ["UPDATE room SET"]


def test_a_second_activation_changes_nothing_and_says_so(
    engine: Engine, reserve: Any, now: datetime
) -> None:
    reserved = reserve()
    activate(engine, reserved, "first-acs-room", now)
    row, activated = activate(engine, reserved, "second-acs-room", now)
    assert not activated
    assert row.acs_room_id == "first-acs-room"


def test_activating_a_discarded_reservation_raises_room_not_found(
    engine: Engine, reserve: Any, now: datetime
) -> None:
    reserved = reserve()
    with session_scope(engine) as session:
        reservations.discard_reservation(session, room_id=reserved.id)
    with pytest.raises(RoomNotFound):
        activate(engine, reserved, "late-acs-room", now)


def test_discarding_deletes_a_reservation(engine: Engine, reserve: Any, acme: Scope) -> None:
    reserved = reserve()
    with session_scope(engine) as session:
        reservations.discard_reservation(session, room_id=reserved.id)
        assert rooms.get_room(session, **acme, room_id=reserved.id) is None


def test_discarding_leaves_an_active_room_alone(
    engine: Engine, make_room: Any, acme: Scope
) -> None:
    room = make_room()
    with session_scope(engine) as session:
        reservations.discard_reservation(session, room_id=room.id)
    with session_scope(engine) as session:
        found = rooms.get_room(session, **acme, room_id=room.id)
    assert found is not None
    assert found.state == "active"


def test_a_discarded_rooms_id_is_never_reused(engine: Engine, reserve: Any) -> None:
    discarded = reserve()
    with session_scope(engine) as session:
        reservations.discard_reservation(session, room_id=discarded.id)
    assert reserve().id != discarded.id


def test_stale_reservations_are_old_creating_rooms_of_every_workspace(
    reserve: Any, make_room: Any, engine: Engine, globex: Scope, now: datetime
) -> None:
    old = now - timedelta(hours=1)
    stale_here, stale_there = reserve(now=old), reserve(globex, now=old)
    reserve()  # recent: its ACS create may still be in flight
    make_room(now=old)  # old but finished
    with session_scope(engine) as session:
        stale = reservations.list_stale_reservations(
            session, older_than=now - timedelta(minutes=10)
        )
    assert [row.id for row in stale] == [stale_here.id, stale_there.id]
