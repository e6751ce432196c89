"""Reading reminders and their rooms (internal to storage; re-exported by storage.reminders)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session, col, exists, select

from storage.models import ReminderRow, RoomRow
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime


def rooms_for(session: Session, *, reminders: Sequence[ReminderRow]) -> dict[int, RoomRow]:
    """The rooms of `reminders` by room id, in one query, each only within its reminder's
    own workspace."""
    if not reminders:
        return {}
    statement = (
        select(RoomRow)
        .join(ReminderRow, col(ReminderRow.room_id) == col(RoomRow.id))
        .where(col(ReminderRow.id).in_([r.id for r in reminders]))
        .where(col(RoomRow.enterprise_id) == col(ReminderRow.enterprise_id))
        .where(col(RoomRow.team_id) == col(ReminderRow.team_id))
        .execution_options(populate_existing=True)
    )
    return {row.id: row for row in session.exec(statement) if row.id is not None}


def later_one_due(session: Session, *, room_id: int, after: datetime, now: datetime) -> bool:
    """True when the room has another reminder, due after `after` and by `now`, that is
    pending or sent: after an outage the room gets only its latest notice."""
    later = exists().where(
        col(ReminderRow.room_id) == room_id,
        col(ReminderRow.due_at) > require_utc(after, "after"),
        col(ReminderRow.due_at) <= require_utc(now, "now"),
        col(ReminderRow.state).in_(("pending", "sent")),
    )
    return bool(session.exec(select(later)).one())


def list_reminders(session: Session, *, room_id: int) -> list[ReminderRow]:
    statement = (
        select(ReminderRow)
        .where(col(ReminderRow.room_id) == room_id)
        .order_by(col(ReminderRow.due_at), col(ReminderRow.id))
    )
    return list(session.exec(statement))
