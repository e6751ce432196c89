"""Every attempted room operation, told to whoever listens (the audit trail, reminders).

Use cases report each attempt once, whatever its outcome: done, denied (the actor lacked the
right) or failed (invalid input, ACS or the store said no). Listeners must not break the use
case: an observer that raises is logged, and the operation's own result stands. Writers (the
audit trail, reminders) keep rows about attempts: a change that succeeds has them written in
its own transaction (`AttemptLog.write`), so all of it is stored, or none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel import Session

    from bot.services.domain import RoomDetails, Workspace

log = logging.getLogger(__name__)


class Action(StrEnum):
    ROOM_CREATED = "room.created"
    ROOM_EXTENDED = "room.extended"
    ROOM_RESCHEDULED = "room.rescheduled"
    PSTN_CHANGED = "room.pstn_changed"
    PARTICIPANTS_ADDED = "participants.added"
    PARTICIPANTS_REROLED = "participants.re_roled"
    PARTICIPANTS_REMOVED = "participants.removed"
    ROOM_DELETED = "room.deleted"
    IDENTITY_PROVISIONED = "identity.provisioned"
    REMINDER_SENT = "reminder.sent"
    REMINDER_FAILED = "reminder.failed"
    INSTALLATION_ADDED = "installation.added"
    INSTALLATION_REMOVED = "installation.removed"
    ROOM_RECONCILED = "room.reconciled"  # RoomBot repaired drift between its store and ACS


class Outcome(StrEnum):
    OK = "ok"
    DENIED = "denied"
    FAILED = "failed"


@dataclass(frozen=True)
class Attempt:
    """One attempted operation. `actor_id` None means RoomBot itself (the system)."""

    action: str
    workspace: Workspace
    actor_id: str | None
    outcome: Outcome
    at: datetime
    room_number: int | None = None
    before: RoomDetails | None = None
    after: RoomDetails | None = None
    reason: str | None = None
    detail: Mapping[str, str] = field(default_factory=dict)


Observer = Callable[[Attempt], None]

# How the attempts made in this context were asked for, when not by a person in Slack directly
# (a Workflow Builder step): recorded with each, so the audit says "via workflow".
_via: ContextVar[str | None] = ContextVar("requested_via", default=None)


@contextmanager
def requested_via(how: str) -> Iterator[None]:
    """Every attempt made inside the block records `via: <how>` in its detail."""
    token = _via.set(how)
    try:
        yield
    finally:
        _via.reset(token)


Committed = Callable[[], None]  # what to do once a transaction committed


class Writer(Protocol):
    """An observer that keeps rows of its own about attempts (the audit trail, reminders)."""

    def observe(self, attempt: Attempt) -> None:
        """Write them in a unit of work of its own (the attempt's own is over, or it had none)."""

    def write(self, session: Session, attempt: Attempt) -> Committed:
        """Write them in `session`, the change's own transaction; returns what to do once it
        committed. A failure here is the change's failure: nothing of it is stored."""


class AttemptLog:
    """The writers and observers one set of use cases reports to."""

    def __init__(self) -> None:
        self.writers: list[Writer] = []
        self.observers: list[Observer] = []

    def tell(self, attempt: Attempt) -> None:
        """An attempt whose store work is over: writers write in units of work of their own."""
        for writer in self.writers:
            _safely(partial(writer.observe, attempt), attempt)
        self._tell_observers(attempt)

    def write(self, session: Session, attempt: Attempt) -> Committed:
        """A change's attempt, within its transaction: the writers add their rows to it, so the
        change, its audit record and its reminders are stored together or not at all. Call
        what this returns once the transaction committed: it tells the observers."""
        committed = [writer.write(session, attempt) for writer in self.writers]
        return partial(self._committed, attempt, committed)

    def _committed(self, attempt: Attempt, committed: list[Committed]) -> None:
        for then in committed:
            _safely(then, attempt)
        self._tell_observers(attempt)

    def _tell_observers(self, attempt: Attempt) -> None:
        for observer in self.observers:
            _safely(partial(observer, attempt), attempt)


def _safely(call: Callable[[], None], attempt: Attempt) -> None:
    """An observer's failure must not undo what already happened: it is logged."""
    try:
        call()
    except Exception:
        log.exception("an observer failed on %s", attempt.action)


@dataclass(frozen=True)
class Context:
    """What is known about an attempt before it runs."""

    action: str
    workspace: Workspace
    actor_id: str | None
    room_number: int | None = None
    detail: Mapping[str, str] = field(default_factory=dict)

    def ended(
        self,
        outcome: Outcome,
        at: datetime,
        *,
        reason: str | None = None,
        before: RoomDetails | None = None,
        after: RoomDetails | None = None,
    ) -> Attempt:
        known = after or before
        number = known.number if known else self.room_number
        via = _via.get()
        return Attempt(
            self.action,
            self.workspace,
            self.actor_id,
            outcome,
            at,
            number,
            before,
            after,
            reason,
            {**self.detail, "via": via} if via else self.detail,
        )
