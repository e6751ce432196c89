"""Turns on rooms: changes to one room apply one after another, whoever makes them.

A turn is a lease on the room row, taken in the transaction that reads the room for the change
and given back in the transaction that stores it: holding a write transaction (or a row lock)
across the ACS call between them would, on SQLite, stall every other write (each ack's job
insert included) behind a slow ACS. A holder that dies leaves its turn to run out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import or_
from sqlmodel import Session, col, update

from storage.models import RoomRow
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from datetime import datetime


def take_turn(
    session: Session,
    *,
    enterprise_id: str,
    team_id: str,
    owner: str,
    now: datetime,
    until: datetime,
    room_id: int | None = None,
    number: int | None = None,
) -> int | None:
    """Give `owner` the turn on the room (by id or by number) until `until` if nobody else
    holds it; the room's id when it has it, None when it is held (or there is no such room)."""
    now = require_utc(now, "now")
    which: Any = (
        col(RoomRow.id) == room_id if room_id is not None else col(RoomRow.number) == number
    )
    free = or_(
        col(RoomRow.turn_until).is_(None),
        col(RoomRow.turn_until) <= now,
        col(RoomRow.turn_owner) == owner,
    )
    statement = (
        update(RoomRow)
        .where(col(RoomRow.enterprise_id) == enterprise_id, col(RoomRow.team_id) == team_id)
        .where(which, free)
        .values(turn_owner=owner, turn_until=require_utc(until, "until"))
        .returning(col(RoomRow.id))
        .execution_options(synchronize_session=False)
    )
    taken = session.exec(statement).first()
    return None if taken is None else int(taken[0])


def end_turn(session: Session, *, room_id: int, owner: str) -> None:
    statement = (
        update(RoomRow)
        .where(col(RoomRow.id) == room_id, col(RoomRow.turn_owner) == owner)
        .values(turn_owner=None, turn_until=None)
        .execution_options(synchronize_session=False)
    )
    session.exec(statement)
