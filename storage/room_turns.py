"""Turns on rooms: changes to one room apply one after another, whoever makes them.

A turn is a lease on the room row, taken and given back in short transactions of their own:
holding a write transaction (or a row lock) across an ACS call would, on SQLite, stall every
other write (each ack's job insert included) behind a slow ACS. A holder that dies leaves its
turn to run out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import or_
from sqlmodel import Session, col, update

from storage.models import RoomRow
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from datetime import datetime


def take_turn(
    session: Session, *, room_id: int, owner: str, now: datetime, until: datetime
) -> bool:
    """Give `owner` the room's turn until `until` if nobody else holds it; True when it has it."""
    now = require_utc(now, "now")
    free = or_(
        col(RoomRow.turn_until).is_(None),
        col(RoomRow.turn_until) <= now,
        col(RoomRow.turn_owner) == owner,
    )
    statement = (
        update(RoomRow)
        .where(col(RoomRow.id) == room_id, free)
        .values(turn_owner=owner, turn_until=require_utc(until, "until"))
        .returning(col(RoomRow.id))
        .execution_options(synchronize_session=False)
    )
    return session.exec(statement).first() is not None


def end_turn(session: Session, *, room_id: int, owner: str) -> None:
    statement = (
        update(RoomRow)
        .where(col(RoomRow.id) == room_id, col(RoomRow.turn_owner) == owner)
        .values(turn_owner=None, turn_until=None)
        .execution_options(synchronize_session=False)
    )
    session.exec(statement)
