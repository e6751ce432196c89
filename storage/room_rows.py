"""Query pieces shared by the room repositories (internal to storage)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select, update

from storage.errors import RoomNotFound
from storage.models import RoomRow
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import ColumnElement


def in_workspace(enterprise_id: str, team_id: str) -> tuple[ColumnElement[bool], ...]:
    return (col(RoomRow.enterprise_id) == enterprise_id, col(RoomRow.team_id) == team_id)


def find_one(
    session: Session, enterprise_id: str, team_id: str, condition: ColumnElement[bool]
) -> RoomRow | None:
    statement = select(RoomRow).where(*in_workspace(enterprise_id, team_id), condition)
    return session.exec(statement).one_or_none()


def lock_room(session: Session, room_id: int) -> RoomRow:
    """The current row, freshly read; on PostgreSQL locked until commit, so concurrent
    read-modify-writes of one room queue up instead of overwriting each other.

    SQLite ignores FOR UPDATE; there the ORM's UPDATE names only the changed columns, so
    concurrent changes to different fields both survive.
    """
    statement = (
        select(RoomRow)
        .where(col(RoomRow.id) == room_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return require_room(session.exec(statement).one_or_none(), room_id)


def write_room(session: Session, room_id: int, now: datetime, **values: Any) -> RoomRow:
    """Set `values` and updated_at, and nothing else; returns the row as written.

    One UPDATE ... RETURNING: no read before the write, and none after. The UPDATE itself
    locks the row until commit (PostgreSQL) and names only these columns, so concurrent
    changes to one room queue up, and changes to different fields both survive.
    """
    statement = (
        update(RoomRow)
        .where(col(RoomRow.id) == room_id)
        .values(**values, updated_at=require_utc(now, "now"))
        .returning(RoomRow)
        .execution_options(populate_existing=True)
    )
    return require_room(session.scalars(statement).one_or_none(), room_id)


def require_room(row: RoomRow | None, room_id: int) -> RoomRow:
    if row is None:
        raise RoomNotFound(f"room {room_id} does not exist")
    return row
