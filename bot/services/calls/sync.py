"""What the live-call loop needs: the calls whose Slack side is behind, claimed under a lease,
read with their room; and what it did, kept.

A claim takes the call as it is now. Events that arrive while Slack is being told bump the
call's version past what the claim saw, so the call is still behind when the claim is
recorded and is claimed again, no sooner than a second after the card's last update: a burst
of joins becomes one update per second, never one per join.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.services.calls.intake import CARD_INTERVAL, slack_user_of
from bot.services.calls.status import in_call, to_status
from bot.services.details import to_details
from bot.services.domain import Workspace
from bot.services.uow import unit_of_work
from storage import room_calls as repo
from storage import rooms as room_repo

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from bot.services.clock import Clock
    from bot.services.domain import RoomDetails
    from storage.models import CallAttendeeRow, RoomCallRow

# How long a failed sync waits before the next try, doubling up to MAX_RETRY.
FIRST_RETRY = timedelta(seconds=2)
MAX_RETRY = timedelta(minutes=5)
# After this many attempts the call is left as it is (its card still shows the last state).
MAX_ATTEMPTS = 12


@dataclass(frozen=True)
class Person:
    """Someone in (or gone from) the call, as the Slack call lists people."""

    attendee_id: int
    slack_user_id: str | None
    raw_id: str
    display_name: str | None


@dataclass(frozen=True)
class CallToSync:
    """A call whose Slack side is behind: its room (with the call's status) and what the Slack
    call has yet to hear."""

    call_id: int
    version: int
    room: RoomDetails
    server_call_id: str
    started_by_user: str | None  # the Slack user who started it, when known
    slack_call_id: str | None
    slack_call_state: str  # none, added, ended, unavailable
    call_block_ts: str | None
    attempts: int
    to_add: tuple[Person, ...] = field(default=())  # in the call, not yet in the Slack call
    to_remove: tuple[Person, ...] = field(default=())  # gone, still in the Slack call

    @property
    def ended(self) -> bool:
        return self.room.call is not None and not self.room.call.live


@dataclass
class SyncOutcome:
    """What the loop got done for one call."""

    slack_call_id: str | None = None
    slack_call_state: str | None = None
    call_block_ts: str | None = None
    listed: list[int] = field(default_factory=list)  # attendees now in the Slack call
    unlisted: list[int] = field(default_factory=list)  # attendees now out of it
    card_updated: bool = False
    error: str | None = None  # a failure worth another try
    retry_after: float | None = None  # seconds Slack asked us to wait


class CallSync:
    def __init__(
        self, *, engine: Engine, clock: Clock, card_interval: timedelta = CARD_INTERVAL
    ) -> None:
        self._engine, self._clock, self._interval = engine, clock, card_interval

    def claim(self, owner: str, lease: timedelta, limit: int) -> list[CallToSync]:
        now = self._clock()
        with unit_of_work(self._engine) as session:
            rows = repo.claim_behind(
                session, now=now, owner=owner, lease_until=now + lease, limit=limit
            )
            return [found for row in rows if (found := _to_sync(session, row)) is not None]

    def next_due(self) -> datetime | None:
        """When the soonest call that is behind falls due (None: none is behind)."""
        with unit_of_work(self._engine) as session:
            return repo.next_due(session)

    def record(self, task: CallToSync, owner: str, outcome: SyncOutcome) -> bool:
        """Keep what was done; with an error, try again later (backing off), unless the call
        has failed too often. False when the lease had run out (another loop has the call)."""
        now = self._clock()
        values: dict[str, object] = {"lease_owner": None, "lease_until": None}
        if outcome.slack_call_id is not None:
            values["slack_call_id"] = outcome.slack_call_id
        if outcome.slack_call_state is not None:
            values["slack_call_state"] = outcome.slack_call_state
        if outcome.call_block_ts is not None:
            values["call_block_ts"] = outcome.call_block_ts
        if outcome.card_updated:
            values["card_updated_at"] = now
        if outcome.error is None or task.attempts >= MAX_ATTEMPTS:
            values |= {"synced_version": task.version, "attempts": 0, "last_error": outcome.error}
            values["sync_due_at"] = now + self._interval
        else:
            wait = min(FIRST_RETRY * 2 ** (task.attempts - 1), MAX_RETRY)
            if outcome.retry_after is not None:
                wait = max(wait, timedelta(seconds=outcome.retry_after))
            values |= {"sync_due_at": now + wait, "last_error": outcome.error}
        with unit_of_work(self._engine) as session:
            held = repo.update_leased_call(
                session, call_id=task.call_id, owner=owner, values=values
            )
            if held:
                repo.mark_in_slack_call(session, attendee_ids=outcome.listed, listed=True)
                repo.mark_in_slack_call(session, attendee_ids=outcome.unlisted, listed=False)
        return held


def _to_sync(session: Session, call: RoomCallRow) -> CallToSync | None:
    assert call.id is not None
    workspace = Workspace(call.enterprise_id, call.team_id)
    row = room_repo.get_room(
        session, enterprise_id=call.enterprise_id, team_id=call.team_id, room_id=call.room_id
    )
    if row is None:
        return None
    members = room_repo.list_members(session, room_id=call.room_id)
    # The card shows the room's latest call (this one, mostly); an older call is only told to
    # its Slack call.
    latest = repo.latest_calls(session, room_ids=[call.room_id]).get(call.room_id)
    if latest is not None and latest[0].id == call.id:
        attendees = latest[1]
    else:
        attendees = repo.list_attendees(session, call_id=call.id)
    room = to_details(workspace, row, members, to_status(*(latest or (call, attendees))))
    here = in_call(call, attendees)
    gone = [a for a in attendees if a.in_slack_call and a not in here]
    starter = slack_user_of(session, workspace, call.started_by) if call.started_by else None
    return CallToSync(
        call_id=call.id,
        version=call.version,
        room=room,
        server_call_id=call.server_call_id,
        started_by_user=starter,
        slack_call_id=call.slack_call_id,
        slack_call_state=call.slack_call_state,
        call_block_ts=call.call_block_ts,
        attempts=call.attempts,
        to_add=tuple(_person(a) for a in here if not a.in_slack_call),
        to_remove=tuple(_person(a) for a in gone),
    )


def _person(row: CallAttendeeRow) -> Person:
    assert row.id is not None
    return Person(row.id, row.slack_user_id, row.raw_id, row.display_name)
