"""Expiry reminders follow their room: planned when it is created, replaced when its window
changes, cancelled when it is deleted. The reminder loop
(`bot.background.reminder_loop`) delivers them."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.services.attempts import Action, Attempt, AttemptLog, Outcome
from bot.services.domain import RoomDetails, RoomState
from bot.services.reminders.rules import Kind
from bot.services.uow import unit_of_work
from storage import reminders as repo
from storage import rooms as room_repo
from storage.reminders import Planned

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime, timedelta

    from sqlalchemy import Engine
    from sqlmodel import Session

log = logging.getLogger(__name__)

__all__ = ["Kind", "ReminderPlanner", "plan"]


def plan(room: RoomDetails, leads: Sequence[timedelta], now: datetime) -> list[Planned]:
    """The reminders `room` should get from `now` on.

    A lead whose moment has passed is skipped, and so is one before the room opens: a
    30-minute room gets no 1-day reminder, and an upcoming room is not told it will expire.
    """
    if room.state is not RoomState.ACTIVE or room.valid_until <= now:
        return []
    first_useful = max(now, room.valid_from)
    planned = [
        Planned(Kind.EXPIRING, int(lead.total_seconds()), room.valid_until - lead)
        for lead in sorted(set(leads), reverse=True)
        if room.valid_until - lead > first_useful
    ]
    if room.valid_from > now:
        planned.append(Planned(Kind.OPEN, 0, room.valid_from))
    return [*planned, Planned(Kind.EXPIRED, 0, room.valid_until)]


class ReminderPlanner:
    """An observer of successful room operations that keeps each room's reminders in step."""

    def __init__(self, *, engine: Engine, leads: Sequence[timedelta]) -> None:
        self._engine = engine
        self._leads = tuple(leads)
        self._handlers: dict[str, Callable[[RoomDetails, datetime], None]] = {
            Action.ROOM_CREATED: self._replan,
            Action.ROOM_EXTENDED: self._replan,
            Action.ROOM_RESCHEDULED: self._replan,
            Action.ROOM_DELETED: self._cancel,
            # A reconciled room may have a new window, or be gone: plan() fits either.
            Action.ROOM_RECONCILED: self._replan,
        }

    def attach(self, *logs: AttemptLog) -> None:
        for attempts in logs:
            attempts.observers.append(self)

    def __call__(self, attempt: Attempt) -> None:
        handler = self._handlers.get(attempt.action)
        room = attempt.after or attempt.before
        if attempt.outcome is Outcome.OK and handler is not None and room is not None:
            handler(room, attempt.at)

    def _replan(self, room: RoomDetails, now: datetime) -> None:
        """Pending reminders of the old window go; those of the new one come (or stay)."""
        with unit_of_work(self._engine) as session:
            room_id = self._room_id(session, room)
            if room_id is None:
                return
            repo.cancel_pending(session, room_id=room_id)
            repo.plan_reminders(
                session,
                enterprise_id=room.workspace.enterprise_id,
                team_id=room.workspace.team_id,
                room_id=room_id,
                planned=plan(room, self._leads, now),
                now=now,
            )

    def _cancel(self, room: RoomDetails, now: datetime) -> None:
        with unit_of_work(self._engine) as session:
            room_id = self._room_id(session, room)
            if room_id is not None:
                repo.cancel_pending(session, room_id=room_id)

    def _room_id(self, session: Session, room: RoomDetails) -> int | None:
        if room.store_id is not None:  # read from the store by the change just made
            return room.store_id
        row = room_repo.find_room_by_number(
            session,
            enterprise_id=room.workspace.enterprise_id,
            team_id=room.workspace.team_id,
            number=room.number,
        )
        if row is None:
            log.warning("no stored room #%s to plan reminders for", room.number)
        return row.id if row else None
