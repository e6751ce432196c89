"""The audit trail: one row per attempted operation, appended and read, never edited.

Every read is scoped to one workspace. Pages are keyset pages on the row id (newest first):
`older_than` continues down the trail, `newer_than` goes back up, so a page never shifts
when events are added meanwhile. The only delete is retention, by age, across workspaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, delete, select

from storage.models import AuditEventRow
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from datetime import datetime

__all__ = ["EventFilter", "append_event", "count_events", "list_events", "purge_events"]


@dataclass(frozen=True)
class EventFilter:
    """What to keep; every given part must match. `people` matches the actor, or anyone the
    event's detail names (invited, removed, provisioned)."""

    room_number: int | None = None
    people: tuple[str, ...] = ()
    since: datetime | None = None
    actions: tuple[str, ...] = ()


def append_event(
    session: Session,
    *,
    enterprise_id: str,
    team_id: str,
    at: datetime,
    action: str,
    outcome: str,
    actor_id: str | None = None,
    reason: str | None = None,
    room_number: int | None = None,
    acs_room_id: str | None = None,
    before_json: str | None = None,
    after_json: str | None = None,
    detail_json: str | None = None,
) -> AuditEventRow:
    row = AuditEventRow(
        enterprise_id=enterprise_id,
        team_id=team_id,
        at=require_utc(at, "at"),
        actor_id=actor_id,
        action=action,
        outcome=outcome,
        reason=reason,
        room_number=room_number,
        acs_room_id=acs_room_id,
        before_json=before_json,
        after_json=after_json,
        detail_json=detail_json,
    )
    session.add(row)
    session.flush()  # assigns the id
    return row


def _matching(enterprise_id: str, team_id: str, where: EventFilter) -> list[ColumnElement[bool]]:
    clauses = [
        col(AuditEventRow.enterprise_id) == enterprise_id,
        col(AuditEventRow.team_id) == team_id,
    ]
    if where.room_number is not None:
        clauses.append(col(AuditEventRow.room_number) == where.room_number)
    if where.since is not None:
        clauses.append(col(AuditEventRow.at) >= require_utc(where.since, "since"))
    if where.actions:
        clauses.append(col(AuditEventRow.action).in_(set(where.actions)))
    if where.people:
        clauses.append(_involving(where.people))
    return clauses


def _involving(people: tuple[str, ...]) -> ColumnElement[bool]:
    named = [col(AuditEventRow.detail_json).contains(p, autoescape=True) for p in people]
    return or_(col(AuditEventRow.actor_id).in_(set(people)), *named)


def list_events(
    session: Session,
    *,
    enterprise_id: str,
    team_id: str,
    where: EventFilter | None = None,
    older_than: int | None = None,
    newer_than: int | None = None,
    limit: int = 50,
) -> list[AuditEventRow]:
    """Up to `limit` matching events next to the cursor ids, always newest first."""
    statement = select(AuditEventRow).where(
        *_matching(enterprise_id, team_id, where or EventFilter())
    )
    if older_than is not None:
        statement = statement.where(col(AuditEventRow.id) < older_than)
    if newer_than is not None:
        statement = statement.where(col(AuditEventRow.id) > newer_than)
    # Going up the trail takes the rows just above the cursor, then shows them newest first.
    upwards = newer_than is not None and older_than is None
    order = col(AuditEventRow.id).asc() if upwards else col(AuditEventRow.id).desc()
    rows = list(session.exec(statement.order_by(order).limit(limit)))
    return rows[::-1] if upwards else rows


def count_events(
    session: Session, *, enterprise_id: str, team_id: str, where: EventFilter | None = None
) -> int:
    statement = (
        select(func.count())
        .select_from(AuditEventRow)
        .where(*_matching(enterprise_id, team_id, where or EventFilter()))
    )
    return int(session.exec(statement).one())


def purge_events(session: Session, *, before: datetime) -> int:
    """Retention: drop every workspace's events older than `before`; returns how many."""
    statement = delete(AuditEventRow).where(col(AuditEventRow.at) < require_utc(before, "before"))
    return int(session.exec(statement).rowcount)
