"""The reminder loop's use cases: claim due reminders, check each against the store and
ACS right before it is posted, and record how it went."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.services.attempts import Action, AttemptLog, Context, Outcome
from bot.services.clock import Clock, utc_now
from bot.services.domain import RoomDetails, RoomKey, RoomState
from bot.services.errors import RoomBotError, RoomNotFound
from bot.services.records import load_details
from bot.services.reminders.reads import judged_again, judged_batch
from bot.services.reminders.rules import (
    GiveUp,
    Gone,
    Kind,
    Notice,
    Reminder,
    RetryPolicy,
    Skip,
    SlackFailure,
    Step,
    after_failure,
)
from bot.services.uow import unit_of_work
from storage import reminders as repo
from storage import rooms as room_repo

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.services.ports import RoomsGateway

log = logging.getLogger(__name__)
# A batch judged longer ago than this is judged again, reminder by reminder, before posting.
REREAD_AFTER = timedelta(seconds=5)


class ReminderService:
    def __init__(
        self,
        *,
        engine: Engine,
        rooms: RoomsGateway,
        clock: Clock = utc_now,
        attempts: AttemptLog | None = None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._engine = engine
        self._rooms = rooms
        self._clock = clock
        self.attempts = attempts or AttemptLog()
        self.policy = policy or RetryPolicy()

    def claim(self, *, owner: str, lease: timedelta, limit: int) -> list[Reminder]:
        """Lease due reminders, each judged on its room as stored now (one query for all)."""
        now = self._clock()
        with unit_of_work(self._engine) as session:
            rows = repo.claim_due(
                session, now=now, owner=owner, lease_until=now + lease, limit=limit
            )
            return judged_batch(session, rows, now)

    def prepare(self, reminder: Reminder) -> Step:
        """What to do with a claimed reminder right before posting it. A judgement older
        than REREAD_AFTER (a slow batch) is made again on the room as stored now."""
        now = self._clock()
        if reminder.read_at is None or now - reminder.read_at > REREAD_AFTER:
            with unit_of_work(self._engine) as session:
                reminder = judged_again(session, reminder, now)
        if reminder.room is None or reminder.skip is not None:
            return Skip(reminder.skip or "the room no longer exists")
        room = reminder.room
        if reminder.kind is not Kind.OPEN:
            room = self.confirm_in_acs(room)
            if room.state is RoomState.DELETED:
                return Gone(room)
        return Notice(reminder.kind, room, reminder.due_at, now)

    def confirm_in_acs(self, room: RoomDetails) -> RoomDetails:
        """The room, or it marked deleted when ACS no longer has it. When ACS cannot answer,
        the store's word stands: a reminder is better than none."""
        try:
            self._rooms.get_room(room.acs_room_id)
        except RoomNotFound:
            return self._mark_gone(room)
        except RoomBotError as exc:
            log.warning("could not check room #%s in ACS: %s", room.number, exc.message)
        return room

    def _mark_gone(self, room: RoomDetails) -> RoomDetails:
        ws, now = room.workspace, self._clock()
        with unit_of_work(self._engine) as session:
            row = room_repo.find_room_by_number(
                session, enterprise_id=ws.enterprise_id, team_id=ws.team_id, number=room.number
            )
            assert row is not None
            assert row.id is not None
            room_repo.mark_deleted(session, room_id=row.id, now=now)
            gone = load_details(session, ws, RoomKey(number=room.number))
        context = Context(Action.ROOM_DELETED, ws, None, room.number, {"why": "gone from ACS"})
        self.attempts.tell(context.ended(Outcome.OK, now, before=room, after=gone))
        return gone

    # --- outcomes -------------------------------------------------------------------------

    def sent(self, reminder: Reminder, owner: str, delivered_to: str) -> None:
        self._finish(reminder, owner, repo.SENT, delivered_to=delivered_to)
        self._tell(reminder, Action.REMINDER_SENT, Outcome.OK, delivered_to=delivered_to)

    def _tell(self, reminder: Reminder, action: str, outcome: Outcome, **detail: str) -> None:
        """Reminders are RoomBot's own doing: told with no actor, for the audit trail."""
        number = reminder.room.number if reminder.room else None
        facts = {"kind": str(reminder.kind), "due_at": reminder.due_at.isoformat(), **detail}
        context = Context(action, reminder.workspace, None, number, facts)
        self.attempts.tell(context.ended(outcome, self._clock(), reason=detail.get("error")))

    def skipped(self, reminder: Reminder, owner: str, reason: str) -> None:
        self._finish(reminder, owner, repo.CANCELLED, error=reason)

    def failed(self, reminder: Reminder, owner: str, failure: SlackFailure) -> datetime | None:
        """Retry later or give up, as the policy says; returns the retry time, if any."""
        now = self._clock()
        decision = after_failure(failure, reminder.attempts, now, self.policy)
        if isinstance(decision, GiveUp):
            self._finish(reminder, owner, repo.FAILED, error=decision.reason)
            self._tell(reminder, Action.REMINDER_FAILED, Outcome.FAILED, error=decision.reason)
            return None
        with unit_of_work(self._engine) as session:
            repo.release(
                session,
                reminder_id=reminder.id,
                owner=owner,
                retry_at=decision.at,
                error=failure.error,
                count_attempt=decision.counts,
            )
        return decision.at

    def _finish(
        self,
        reminder: Reminder,
        owner: str,
        state: str,
        *,
        delivered_to: str | None = None,
        error: str | None = None,
    ) -> None:
        with unit_of_work(self._engine) as session:
            kept = repo.finish(
                session,
                reminder_id=reminder.id,
                owner=owner,
                state=state,
                now=self._clock(),
                delivered_to=delivered_to,
                error=error,
            )
        if not kept:
            log.warning("reminder %s: lease lost before it was marked %s", reminder.id, state)
