"""Reminders: notices due about rooms, claimed by workers under a lease.

A claim takes due rows and stamps them with the worker's name and a lease; the worker then
finishes each one (sent, failed, cancelled) or releases it with a time to retry. A worker that
dies leaves its lease to run out, after which any worker may claim the row again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from sqlmodel import Session, col, update

from storage import leases
from storage.dialects import upsert_insert
from storage.models import ReminderRow
from storage.reminder_queries import later_one_due, list_reminders, rooms_for
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

__all__ = [
    "Planned",
    "cancel_pending",
    "claim_due",
    "finish",
    "later_one_due",
    "list_reminders",
    "plan_reminders",
    "release",
    "rooms_for",
]

PENDING: Final = "pending"
SENT: Final = "sent"
FAILED: Final = "failed"
CANCELLED: Final = "cancelled"
_UNIQUE: Final = ["room_id", "kind", "lead_seconds", "due_at"]


@dataclass(frozen=True)
class Planned:
    """A reminder a room should get: what kind, how long before expiry, and when."""

    kind: str
    lead_seconds: int
    due_at: datetime


def plan_reminders(
    session: Session,
    *,
    enterprise_id: str,
    team_id: str,
    room_id: int,
    planned: Sequence[Planned],
    now: datetime,
) -> None:
    """Add `planned` to the room. One planned and cancelled before comes back pending; one
    pending or already sent is left as it is, so planning twice never reminds twice."""
    if not planned:
        return
    scope = {"enterprise_id": enterprise_id, "team_id": team_id, "room_id": room_id}
    rows = [scope | _new_row(p, require_utc(now, "now")) for p in planned]
    insert = upsert_insert(session, ReminderRow).values(rows)
    revive = insert.on_conflict_do_update(
        index_elements=_UNIQUE,
        set_={"state": PENDING, "attempts": 0, "last_error": None},
        where=col(ReminderRow.state) == CANCELLED,
    )
    session.exec(revive)


def _new_row(planned: Planned, now: datetime) -> dict[str, Any]:
    return {
        "kind": planned.kind,
        "lead_seconds": planned.lead_seconds,
        "due_at": require_utc(planned.due_at, "due_at"),
        "state": PENDING,
        "attempts": 0,
        "created_at": now,
    }


def cancel_pending(session: Session, *, room_id: int) -> int:
    """Cancel the room's reminders not sent yet; returns how many."""
    statement = (
        update(ReminderRow)
        .where(col(ReminderRow.room_id) == room_id, col(ReminderRow.state) == PENDING)
        .values(state=CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return int(session.exec(statement).rowcount)


def claim_due(
    session: Session, *, now: datetime, owner: str, lease_until: datetime, limit: int
) -> list[ReminderRow]:
    """Lease up to `limit` due reminders to `owner`, oldest first (see `storage.leases`). The
    (state, due_at) index bounds the scan to due rows."""
    now = require_utc(now, "now")
    due = [col(ReminderRow.state) == PENDING, col(ReminderRow.due_at) <= now]
    return leases.claim(
        session,
        ReminderRow,
        ready=due,
        oldest_first="due_at",
        now=now,
        owner=owner,
        lease_until=lease_until,
        limit=limit,
    )


def finish(
    session: Session,
    *,
    reminder_id: int,
    owner: str,
    state: str,
    now: datetime,
    delivered_to: str | None = None,
    error: str | None = None,
) -> bool:
    """End the reminder (sent, failed or cancelled) if `owner` still holds its lease."""
    values: dict[str, Any] = {"state": state, "lease_owner": None, "lease_until": None}
    values |= {"delivered_to": delivered_to, "last_error": error}
    if state == SENT:
        values["sent_at"] = require_utc(now, "now")
    return leases.update_leased(session, ReminderRow, reminder_id, owner, values)


def release(
    session: Session,
    *,
    reminder_id: int,
    owner: str,
    retry_at: datetime,
    error: str,
    count_attempt: bool,
) -> bool:
    """Give the reminder back, claimable again from `retry_at`."""
    values: dict[str, Any] = {"lease_owner": None, "last_error": error}
    values["lease_until"] = require_utc(retry_at, "retry_at")
    if count_attempt:
        values["attempts"] = col(ReminderRow.attempts) + 1
    return leases.update_leased(session, ReminderRow, reminder_id, owner, values)
