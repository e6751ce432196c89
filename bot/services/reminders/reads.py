"""Judging claimed reminders on their rooms as the store has them: a whole batch in one
query at claim time, or one reminder again when its batch was judged a while ago."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.services.calls.status import call_of
from bot.services.details import to_details
from bot.services.domain import Workspace
from bot.services.reminders.rules import Kind, Reminder, is_late, why_stale
from storage import reminders as repo
from storage import rooms as room_repo
from storage.models import ReminderRow, RoomMemberRow, RoomRow

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlmodel import Session

SUPERSEDED = "superseded by a later notice about the room"
Rosters = dict[int, list[RoomMemberRow]]


def judged_batch(session: Session, rows: Sequence[ReminderRow], now: datetime) -> list[Reminder]:
    """Only the expired notice shows the card, so only its rooms' rosters are read."""
    rooms = repo.rooms_for(session, reminders=rows)
    expired = [r.room_id for r in rows if r.kind == Kind.EXPIRED]
    rosters = room_repo.members_of(session, room_ids=expired)
    return [judge(session, to_reminder(row), rooms.get(row.room_id), rosters, now) for row in rows]


def judged_again(session: Session, reminder: Reminder, now: datetime) -> Reminder:
    ws = reminder.workspace
    row = room_repo.get_room(
        session, enterprise_id=ws.enterprise_id, team_id=ws.team_id, room_id=reminder.room_id
    )
    rosters = room_repo.members_of(session, room_ids=[reminder.room_id])
    return judge(session, reminder, row, rosters, now)


def judge(
    session: Session, reminder: Reminder, row: RoomRow | None, rosters: Rosters, now: datetime
) -> Reminder:
    """The reminder with its room and, if it should not be posted, why."""
    members = rosters.get(reminder.room_id, [])
    call = call_of(session, reminder.room_id) if row else None
    room = to_details(reminder.workspace, row, members, call) if row else None
    reason = why_stale(reminder, room) if room else "the room no longer exists"
    if reason is None and superseded(session, reminder, now):
        reason = SUPERSEDED
    return replace(reminder, room=room, skip=reason, read_at=now)


def superseded(session: Session, reminder: Reminder, now: datetime) -> bool:
    """After an outage (the reminder is late) only the room's latest due notice is posted."""
    if not is_late(reminder.due_at, now):
        return False
    return repo.later_one_due(session, room_id=reminder.room_id, after=reminder.due_at, now=now)


def to_reminder(row: ReminderRow) -> Reminder:
    assert row.id is not None
    return Reminder(
        id=row.id,
        workspace=Workspace(row.enterprise_id, row.team_id),
        room_id=row.room_id,
        kind=Kind(row.kind),
        lead=timedelta(seconds=row.lead_seconds),
        due_at=row.due_at,
        attempts=row.attempts,
    )
