"""The attendance record as admins export it: who was in which room call, when, how long."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from bot.services.audit.actions import AuditAction
from bot.services.audit.events import described, inert
from bot.services.records import find_row
from bot.services.uow import unit_of_work
from storage import room_calls as repo

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Engine

    from bot.services.access import Actor
    from bot.services.audit.events import AuditFilters
    from bot.services.audit.trail import AuditTrail
    from bot.services.domain import Workspace
    from storage.models import CallAttendeeRow, RoomCallRow

HEADER: Final = (
    "room",
    "title",
    "call_id",
    "call_started_utc",
    "call_ended_utc",
    "call_minutes",
    "slack_user_id",
    "display_name",
    "role",
    "joined_utc",
    "left_utc",
    "minutes_in_call",
)
EXPORT_MAX: Final = 50_000  # rows per export; the filters narrow a bigger record


class Attendance:
    def __init__(self, *, engine: Engine, audit: AuditTrail) -> None:
        self._engine, self._audit = engine, audit

    def export_rows(
        self, workspace: Workspace, actor: Actor, filters: AuditFilters
    ) -> list[tuple[str, ...]]:
        """Every attendance matching the audit filters' room, people and since (header first,
        oldest call first); admins only, and the export is itself recorded."""
        self._audit.require_reader(workspace, actor, **described(filters), kind="attendance")
        scope = {"enterprise_id": workspace.enterprise_id, "team_id": workspace.team_id}
        with unit_of_work(self._engine) as session:
            room_id = find_row(session, workspace, filters.room).id if filters.room else None
            found = repo.attendance_rows(
                session,
                **scope,
                since=filters.since,
                until=None,
                limit=EXPORT_MAX,
                room_id=room_id,
                slack_user_ids=filters.people,
            )
        rows = [_row(room.number, room.title, call, who) for room, call, who in found]
        detail = {**described(filters), "kind": "attendance", "rows": str(len(rows))}
        self._audit.record(
            workspace, actor_id=actor.user_id, action=AuditAction.AUDIT_EXPORTED, detail=detail
        )
        return [HEADER, *rows]


def _row(number: int, title: str, call: RoomCallRow, who: CallAttendeeRow) -> tuple[str, ...]:
    left = who.left_at or call.ended_at
    present = (left - who.joined_at).total_seconds() if left and who.joined_at else None
    ended = call.ended_at
    length = call.duration_seconds
    if length is None and ended is not None:
        length = (ended - call.started_at).total_seconds()
    return tuple(
        inert(cell)
        for cell in (
            f"#{number}",
            title,
            call.server_call_id,
            _when(call.started_at),
            _when(ended),
            _minutes(length),
            who.slack_user_id or "",
            who.display_name or "",
            who.role or "",
            _when(who.joined_at),
            _when(left),
            _minutes(present),
        )
    )


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S") if at else ""


def _minutes(seconds: float | None) -> str:
    return "" if seconds is None else f"{max(0.0, seconds) / 60:.1f}"
