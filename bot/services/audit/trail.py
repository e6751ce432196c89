"""The audit trail: every attempted operation recorded once, read only by admins.

`observe` is the observer the room and identity use cases tell their attempts to; `record` is
for everything else (reminders, installations). Records are appended, never changed; the only
removal is retention (`purge_expired`, run at most hourly from the record path).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from bot.services.attempts import Attempt, Committed, Outcome
from bot.services.audit import reading
from bot.services.audit.actions import AuditAction
from bot.services.audit.events import (
    AuditEvent,
    AuditFilters,
    AuditPage,
    Cursor,
    described,
    export_table,
    people_changed,
    snapshot,
    to_event,
    to_json,
)
from bot.services.audit.reading import Reading
from bot.services.clock import Clock, utc_now
from bot.services.errors import AccessDenied
from bot.services.uow import unit_of_work
from storage import audit as repo

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from bot.services.access import Actor
    from bot.services.domain import RoomDetails, Workspace

log = logging.getLogger(__name__)

PURGE_EVERY: Final = timedelta(hours=1)
WHO_MAY_READ: Final = (
    "Only workspace admins and owners, and the RoomBot admins named in ROOMBOT_ADMINS, "
    "can read the audit trail."
)
EventObserver = Callable[[AuditEvent], None]


class AuditTrail:
    def __init__(
        self,
        *,
        engine: Engine,
        clock: Clock = utc_now,
        retention_days: int | None = None,
        page_size: int = 10,
    ) -> None:
        self.observers: list[EventObserver] = []  # told each recorded event (audit channel)
        self._engine, self._clock, self._retention_days = engine, clock, retention_days
        self._reading = Reading(engine, page_size)
        self._purged_at: datetime | None = None
        self._purge_lock = threading.Lock()

    # --- recording ----------------------------------------------------------------------

    def observe(self, attempt: Attempt) -> None:
        """The AttemptLog observer: one record per attempt, in a unit of work of its own."""
        self.record(attempt.workspace, **_fields(attempt))

    def write(self, session: Session, attempt: Attempt) -> Committed:
        """The attempt's record within the change's own transaction (see `AttemptLog.write`);
        returns what tells the audit channel once that committed."""
        event = self._append(session, attempt.workspace, **_fields(attempt))
        return partial(self._recorded, event)

    def record_within(
        self,
        session: Session,
        workspace: Workspace,
        *,
        action: str,
        actor_id: str | None = None,
        room_number: int | None = None,
        detail: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> Committed:
        """`record` within the caller's transaction (what it records stands or falls with it);
        returns what tells the audit channel once that committed."""
        event = self._append(
            session,
            workspace,
            action=action,
            actor_id=actor_id,
            outcome=Outcome.OK,
            room_number=room_number,
            reason=None,
            detail=detail,
            before=None,
            after=None,
            at=at,
        )
        return partial(self._recorded, event)

    def record(
        self,
        workspace: Workspace,
        *,
        action: str,
        actor_id: str | None = None,
        outcome: Outcome | str = Outcome.OK,
        room_number: int | None = None,
        reason: str | None = None,
        detail: Mapping[str, Any] | None = None,
        before: RoomDetails | None = None,
        after: RoomDetails | None = None,
        at: datetime | None = None,
    ) -> AuditEvent:
        """Append one event. `actor_id` None is RoomBot itself; `detail` is JSON-able values.
        Raises StoreUnavailable when the store is down (the event is then not recorded)."""
        with unit_of_work(self._engine) as session:
            event = self._append(
                session,
                workspace,
                action=action,
                actor_id=actor_id,
                outcome=outcome,
                room_number=room_number,
                reason=reason,
                detail=detail,
                before=before,
                after=after,
                at=at,
            )
        self._recorded(event)
        return event

    def _append(
        self,
        session: Session,
        workspace: Workspace,
        *,
        action: str,
        actor_id: str | None,
        outcome: Outcome | str,
        room_number: int | None,
        reason: str | None,
        detail: Mapping[str, Any] | None,
        before: RoomDetails | None,
        after: RoomDetails | None,
        at: datetime | None,
    ) -> AuditEvent:
        room = after or before
        row = repo.append_event(
            session,
            enterprise_id=workspace.enterprise_id,
            team_id=workspace.team_id,
            at=at or self._clock(),
            action=str(action),
            outcome=Outcome(outcome).value,
            actor_id=actor_id,
            reason=reason,
            room_number=room.number if room else room_number,
            acs_room_id=(room.acs_room_id or None) if room else None,
            before_json=to_json(snapshot(before)),
            after_json=to_json(snapshot(after)),
            detail_json=to_json(detail) if detail else None,
        )
        return to_event(row)

    def _recorded(self, event: AuditEvent) -> None:
        self._tell(event)
        self._purge_when_due()

    def _tell(self, event: AuditEvent) -> None:
        for observer in self.observers:
            try:
                observer(event)
            except Exception:  # a failing observer must not lose the record or the operation
                log.exception("an audit observer failed on %s", event.action)

    # --- retention ----------------------------------------------------------------------

    def purge_expired(self, now: datetime) -> int:
        """Drop events older than the retention (ROOMBOT_AUDIT_RETENTION_DAYS); 0 if none set."""
        if self._retention_days is None:
            return 0
        with unit_of_work(self._engine) as session:
            purged = repo.purge_events(session, before=now - timedelta(days=self._retention_days))
        if purged:
            log.info("audit retention removed %d events", purged)
        return purged

    def _purge_when_due(self) -> None:
        now = self._clock()
        with self._purge_lock:
            if self._purged_at is not None and now - self._purged_at < PURGE_EVERY:
                return
            self._purged_at = now
        self.purge_expired(now)

    # --- reading (admins only) ----------------------------------------------------------

    def require_reader(self, workspace: Workspace, actor: Actor, **asked: str) -> None:
        """Refuse non-admins, recording the refusal (`asked` says what they asked for)."""
        if actor.is_admin:
            return
        self.record(
            workspace,
            actor_id=actor.user_id,
            action=AuditAction.AUDIT_READ,
            outcome=Outcome.DENIED,
            reason=WHO_MAY_READ,
            detail=asked,
        )
        raise AccessDenied(WHO_MAY_READ)

    def read(
        self,
        workspace: Workspace,
        actor: Actor,
        filters: AuditFilters,
        cursor: Cursor | None = None,
    ) -> AuditPage:
        """One page of matching events, newest first; refuses (and records) non-admins."""
        self.require_reader(workspace, actor, **described(filters))
        return self._reading.page(workspace, filters, cursor or Cursor())

    def latest(self, workspace: Workspace, actor: Actor, limit: int = 5) -> list[AuditEvent]:
        """The newest events, for an admin's App Home."""
        self.require_reader(workspace, actor, asked="latest")
        return self._reading.latest(workspace, limit)

    @property
    def export_cap(self) -> int:
        """The most events one export holds (the newest); filters narrow a bigger trail."""
        return reading.EXPORT_MAX

    def export_rows(
        self, workspace: Workspace, actor: Actor, filters: AuditFilters
    ) -> list[tuple[str, ...]]:
        """Every matching event as CSV rows (header first, oldest first); the export itself
        is recorded, after it was read, so it is not in its own file."""
        self.require_reader(workspace, actor, **described(filters))
        events = self._reading.everything(workspace, filters)
        detail = {**described(filters), "rows": str(len(events))}
        self.record(
            workspace, actor_id=actor.user_id, action=AuditAction.AUDIT_EXPORTED, detail=detail
        )
        return export_table(events)


def _fields(attempt: Attempt) -> dict[str, Any]:
    """An attempt's record. Whoever the change put in, moved or took out is named in the
    detail, so a people filter finds it."""
    detail = dict(attempt.detail)
    if "people" not in detail and people_changed(attempt.before, attempt.after):
        detail["people"] = people_changed(attempt.before, attempt.after)
    return {
        "actor_id": attempt.actor_id,
        "action": attempt.action,
        "outcome": attempt.outcome,
        "room_number": attempt.room_number,
        "reason": attempt.reason,
        "detail": detail,
        "before": attempt.before,
        "after": attempt.after,
        "at": attempt.at,
    }
