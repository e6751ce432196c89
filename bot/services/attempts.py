"""Every attempted room operation, told to whoever listens (the audit trail, reminders).

Use cases report each attempt once, whatever its outcome: done, denied (the actor lacked the
right) or failed (invalid input, ACS or the store said no). Listeners must not break the use
case: an observer that raises is logged, and the operation's own result stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from bot.services.domain import RoomDetails, Workspace
from bot.services.errors import AccessDenied, RoomBotError

if TYPE_CHECKING:
    from datetime import datetime

log = logging.getLogger(__name__)
T = TypeVar("T")


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


class AttemptLog:
    """The observers one set of use cases reports to."""

    def __init__(self) -> None:
        self.observers: list[Observer] = []

    def tell(self, attempt: Attempt) -> None:
        for observer in self.observers:
            try:
                observer(attempt)
            except Exception:  # an observer's failure must not undo what already happened
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
            self.detail,
        )


Rooms = tuple[RoomDetails | None, RoomDetails | None]


def reported(
    attempts: AttemptLog,
    context: Context,
    clock: Callable[[], datetime],
    work: Callable[[], T],
    rooms_of: Callable[[T], Rooms | None],
) -> T:
    """Run `work`, then tell the attempt with its outcome; errors are re-raised unchanged.
    `rooms_of` gives (before, after), or None when the call repeated a finished one."""
    try:
        result = work()
    except AccessDenied as denied:
        attempts.tell(context.ended(Outcome.DENIED, clock(), reason=denied.message))
        raise
    except RoomBotError as failed:
        attempts.tell(context.ended(Outcome.FAILED, clock(), reason=failed.message))
        raise
    rooms = rooms_of(result)
    if rooms is not None:
        attempts.tell(context.ended(Outcome.OK, clock(), before=rooms[0], after=rooms[1]))
    return result
