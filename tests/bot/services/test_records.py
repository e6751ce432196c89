"""Rooms read from the store: a change finds its room, writes it and reads it back in one
transaction, and the room is queried once for all of that, never across workspaces."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.services.domain import RoomKey, Workspace
from bot.services.errors import RoomNotFound
from bot.services.records import find_row, load_details
from storage import reservations
from storage import rooms as repo
from storage.session import session_scope
from tests.support.sql import room_selects

ONE, OTHER = Workspace("", "T1"), Workspace("", "T2")
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def add_room(engine: Engine, workspace: Workspace, title: str, *, activate: bool = True) -> int:
    """A room in `workspace`, numbered there; returns its number."""
    with session_scope(engine) as session:
        return new_room(session, workspace, title, activate=activate)


def new_room(session: Session, workspace: Workspace, title: str, *, activate: bool) -> int:
    row, _ = reservations.reserve_room(
        session,
        enterprise_id=workspace.enterprise_id,
        team_id=workspace.team_id,
        creation_key=title,
        title=title,
        organizer_id="U1",
        channel_id="C1",
        valid_from=NOW,
        valid_until=NOW + timedelta(hours=1),
        pstn_dial_out_enabled=False,
        now=NOW,
    )
    assert row.id is not None
    if activate:
        reservations.activate_room(
            session,
            room_id=row.id,
            acs_room_id=f"{row.id:017d}",
            valid_from=NOW,
            valid_until=NOW + timedelta(hours=1),
            pstn_dial_out_enabled=False,
            now=NOW,
        )
    return row.number


def test_a_room_found_by_number_is_queried_once_per_transaction(engine: Engine) -> None:
    number = add_room(engine, ONE, "Standup")
    with room_selects(engine) as queries, session_scope(engine) as session:
        first = find_row(session, ONE, RoomKey(number=number))
        again = find_row(session, ONE, RoomKey(number=number))
    assert again is first
    assert len(queries) == 1


def test_the_room_read_back_carries_what_the_transaction_wrote(engine: Engine) -> None:
    number = add_room(engine, ONE, "Standup")
    later = NOW + timedelta(hours=5)
    with session_scope(engine) as session:
        row = find_row(session, ONE, RoomKey(number=number))
        assert row.id is not None
        repo.update_room(session, room_id=row.id, now=NOW, valid_until=later)
        room = load_details(session, ONE, RoomKey(number=number))
    assert room.valid_until == later


def test_a_new_transaction_queries_the_room_again(engine: Engine) -> None:
    number = add_room(engine, ONE, "Standup")
    with room_selects(engine) as queries:
        for _ in range(2):
            with session_scope(engine) as session:
                find_row(session, ONE, RoomKey(number=number))
    assert len(queries) == 2


def test_the_same_number_in_another_workspace_is_another_room(engine: Engine) -> None:
    mine, theirs = add_room(engine, ONE, "Mine"), add_room(engine, OTHER, "Theirs")
    assert mine == theirs  # both workspaces start at #1
    with session_scope(engine) as session:
        first = find_row(session, ONE, RoomKey(number=mine))
        second = find_row(session, OTHER, RoomKey(number=theirs))
    assert (first.title, second.title) == ("Mine", "Theirs")


def test_a_room_of_another_workspace_stays_unfound_after_ones_own_was_found(
    engine: Engine,
) -> None:
    number = add_room(engine, ONE, "Mine")
    with session_scope(engine) as session:
        find_row(session, ONE, RoomKey(number=number))
        with pytest.raises(RoomNotFound):
            find_row(session, OTHER, RoomKey(number=number))


def test_a_room_still_being_created_is_not_found_even_when_asked_twice(engine: Engine) -> None:
    number = add_room(engine, ONE, "Pending", activate=False)
    with session_scope(engine) as session:
        for _ in range(2):
            with pytest.raises(RoomNotFound):
                find_row(session, ONE, RoomKey(number=number))


def test_a_room_not_found_is_looked_up_again_in_the_same_transaction(engine: Engine) -> None:
    with session_scope(engine) as session:
        with pytest.raises(RoomNotFound):
            find_row(session, ONE, RoomKey(number=1))
        number = new_room(session, ONE, "Late", activate=True)
        assert find_row(session, ONE, RoomKey(number=number)).title == "Late"
