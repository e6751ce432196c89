"""What the reminder loop decides without I/O: whether a reminder still fits its room, how
late it is, where to post when the channel is out of reach, and when to try again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from bot.services.domain import RoomDetails, RoomState, Workspace

# Within this of its moment a reminder reads as on time; later, it says it is late.
LATE_AFTER: Final = timedelta(minutes=5)
# Slack errors meaning "you can't post in this channel": the organizer gets a DM instead.
CHANNEL_UNUSABLE: Final = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
# Slack errors that are Slack's trouble rather than the request's: worth another try.
TRANSIENT: Final = frozenset({"internal_error", "fatal_error", "service_unavailable", "timeout"})


class Kind(StrEnum):
    EXPIRING = "expiring"  # a lead time before valid_until
    OPEN = "open"  # at valid_from, for rooms that open later than they were planned
    EXPIRED = "expired"  # at valid_until: the card turns to its ended state


@dataclass(frozen=True)
class Reminder:
    """A reminder a reminder loop has claimed."""

    id: int
    workspace: Workspace
    room_id: int
    kind: Kind
    lead: timedelta
    due_at: datetime
    attempts: int  # failed tries so far
    room: RoomDetails | None = None  # as the store had it at `read_at`
    skip: str | None = None  # why not to post it, judged at `read_at`
    read_at: datetime | None = None


@dataclass(frozen=True)
class Notice:
    """What to tell a room's channel now."""

    kind: Kind
    room: RoomDetails
    due_at: datetime
    now: datetime

    @property
    def late_by(self) -> timedelta | None:
        """How late the notice is, or None when it is (about) on time."""
        return self.now - self.due_at if is_late(self.due_at, self.now) else None


def is_late(due_at: datetime, now: datetime) -> bool:
    return now - due_at > LATE_AFTER


@dataclass(frozen=True)
class Skip:
    reason: str


@dataclass(frozen=True)
class Gone:
    """ACS no longer has the room; the store now says it is deleted."""

    room: RoomDetails


Step = Notice | Skip | Gone


def why_stale(reminder: Reminder, room: RoomDetails) -> str | None:
    """Why the reminder no longer fits the room (deleted, or its window moved), or None."""
    if room.state is not RoomState.ACTIVE:
        return f"the room is {room.state.value}"
    moment = {
        Kind.EXPIRING: room.valid_until - reminder.lead,
        Kind.OPEN: room.valid_from,
        Kind.EXPIRED: room.valid_until,
    }[reminder.kind]
    return None if moment == reminder.due_at else "the room's window changed"


def dm_target(error: str, room: RoomDetails) -> str | None:
    """Where to post when the room's channel refused: the organizer's DM, or nowhere."""
    return room.organizer_id if error in CHANNEL_UNUSABLE else None


@dataclass(frozen=True)
class SlackFailure:
    error: str
    status: int = 200
    retry_after: float | None = None  # seconds, from a 429's Retry-After

    @property
    def rate_limited(self) -> bool:
        return self.status == 429 or self.error == "ratelimited"

    @property
    def transient(self) -> bool:
        return self.status >= 500 or self.error in TRANSIENT


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    first_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(minutes=30)
    rate_limit_wait: timedelta = timedelta(seconds=60)  # when a 429 names no Retry-After


@dataclass(frozen=True)
class Retry:
    at: datetime
    counts: bool  # a rate limit is Slack pacing us, not a failed attempt


@dataclass(frozen=True)
class GiveUp:
    reason: str


def after_failure(
    failure: SlackFailure, attempts: int, now: datetime, policy: RetryPolicy
) -> Retry | GiveUp:
    """429: wait as Slack asks. 5xx: back off, doubling, until `max_attempts`. Else: give up."""
    if failure.rate_limited:
        wait = timedelta(seconds=failure.retry_after or 0) or policy.rate_limit_wait
        return Retry(now + wait, counts=False)
    if not failure.transient:
        return GiveUp(failure.error)
    if attempts + 1 >= policy.max_attempts:
        return GiveUp(f"{failure.error} after {attempts + 1} attempts")
    backoff = min(policy.first_backoff * 2**attempts, policy.max_backoff)
    return Retry(now + backoff, counts=True)
