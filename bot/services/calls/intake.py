"""ACS calling events taken in: each applied once, in its own transaction, to the room call it
names, whatever order and however often Event Grid delivers them.

Event Grid delivers at least once, out of order, and retries for up to a day. The event's id is
claimed in the event ledger in the transaction that applies it (so a crash between the two can
neither lose nor double it), and every change is also idempotent on its own: a call is made
by whichever of its events comes first, each column filled by the first event that knows it, a
person's joining and leaving recorded whichever arrives first. A duplicate older than the
ledger keeps its claims therefore changes nothing either.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.services.audit.actions import AuditAction
from bot.services.domain import Workspace
from bot.services.uow import unit_of_work
from storage import identities as identity_repo
from storage import room_calls as repo
from storage import rooms as room_repo
from storage.events import claim_event

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sqlalchemy import Engine
    from sqlmodel import Session

    from bot.services.attempts import Committed
    from bot.services.audit.trail import AuditTrail
    from bot.services.calls.event_grid import CallEvent
    from bot.services.clock import Clock
    from storage.models import RoomCallRow, RoomRow

log = logging.getLogger(__name__)

# Slack allows about one update per second to a message; the card is updated no more often.
CARD_INTERVAL = timedelta(seconds=1)
# Event ids share the ledger with Slack's event ids; the prefix keeps the two apart.
LEDGER_PREFIX = "eventgrid:"


@dataclass(frozen=True)
class Taken:
    """What became of a delivery's calling events."""

    applied: int = 0  # new, for a RoomBot room of an installed workspace
    repeats: int = 0  # delivered before
    ignored: int = 0  # not a rooms call, not RoomBot's room, or a workspace not installed


class CallIntake:
    def __init__(
        self,
        *,
        engine: Engine,
        clock: Clock,
        audit: AuditTrail | None = None,
        card_interval: timedelta = CARD_INTERVAL,
    ) -> None:
        self._engine, self._clock, self._audit = engine, clock, audit
        self._card_interval = card_interval

    def take(self, events: Sequence[CallEvent], installed: Callable[[Workspace], bool]) -> Taken:
        """Apply each event once; `installed` says whether a workspace still has RoomBot."""
        applied = repeats = ignored = 0
        for event in events:
            room = self._room_of(event, installed)
            if room is None:
                ignored += 1
            elif self._apply(event, room):
                applied += 1
            else:
                repeats += 1
        return Taken(applied, repeats, ignored)

    def _room_of(
        self, event: CallEvent, installed: Callable[[Workspace], bool]
    ) -> tuple[Workspace, int, int] | None:
        """(workspace, room's store id, number) when the event is about a RoomBot room."""
        if not event.room_id:
            return None
        with unit_of_work(self._engine) as session:
            row: RoomRow | None = room_repo.find_room_of_call(session, acs_room_id=event.room_id)
        if row is None or row.id is None:
            log.info("calling event %s: room %s is not RoomBot's", event.id, event.room_id)
            return None
        workspace = Workspace(row.enterprise_id, row.team_id)
        if not installed(workspace):
            log.info("calling event %s: workspace %s is not installed", event.id, row.team_id)
            return None
        return workspace, row.id, row.number

    def _apply(self, event: CallEvent, room: tuple[Workspace, int, int]) -> bool:
        workspace, room_id, number = room
        committed: list[Committed] = []
        with unit_of_work(self._engine) as session:
            first = claim_event(
                session,
                event_id=LEDGER_PREFIX + event.id,
                enterprise_id=workspace.enterprise_id,
                team_id=workspace.team_id,
                now=self._clock(),
            )
            if not first:
                return False
            call, made = repo.lock_call(
                session,
                enterprise_id=workspace.enterprise_id,
                team_id=workspace.team_id,
                room_id=room_id,
                server_call_id=event.server_call_id,
                at=event.at,
            )
            was_over = call.ended_at is not None
            changed = _change_call(call, event) | made
            if event.kind in ("participant_added", "participant_removed"):
                changed |= self._change_attendee(session, workspace, call, event)
            if changed:
                self._behind(call)
            ended = not was_over and call.ended_at is not None
            committed += self._audited(session, workspace, number, call, made, ended)
        for tell in committed:
            tell()
        return True

    def _change_attendee(
        self, session: Session, workspace: Workspace, call: RoomCallRow, event: CallEvent
    ) -> bool:
        raw_id = event.participant or ""
        if not raw_id and not event.participant_id:
            return False
        assert call.id is not None
        who = repo.lock_attendee(
            session,
            call_id=call.id,
            participant_key=event.participant_id or f"raw:{raw_id}",
            raw_id=raw_id,
        )
        if not who.raw_id and raw_id:
            who.raw_id = raw_id
        who.display_name = who.display_name or event.display_name
        who.role = who.role or event.role
        if who.slack_user_id is None and who.raw_id:
            who.slack_user_id = slack_user_of(session, workspace, who.raw_id)
        if event.kind == "participant_added" and who.joined_at is None:
            who.joined_at = event.at
            return True
        if event.kind == "participant_removed" and who.left_at is None:
            who.left_at = event.at
            return True
        return False

    def _behind(self, call: RoomCallRow) -> None:
        """Slack's side of the call is now behind: due at once, unless the card was updated
        less than a second ago (then when that second is up)."""
        if call.synced_version >= call.version:
            now = self._clock()
            last = call.card_updated_at
            call.sync_due_at = max(now, last + self._card_interval) if last else now
        call.version += 1

    def _audited(
        self,
        session: Session,
        workspace: Workspace,
        number: int,
        call: RoomCallRow,
        made: bool,
        ended: bool,
    ) -> list[Committed]:
        if self._audit is None:
            return []
        told: list[Committed] = []
        base = {"server_call_id": call.server_call_id}
        if made:
            starter = call.started_by and slack_user_of(session, workspace, call.started_by)
            told.append(
                self._audit.record_within(
                    session,
                    workspace,
                    action=AuditAction.CALL_STARTED,
                    actor_id=starter or None,
                    room_number=number,
                    detail={**base, "started": call.started_at.isoformat()},
                )
            )
        if ended and call.ended_at is not None and call.id is not None:
            came = repo.list_attendees(session, call_id=call.id)
            people = {a.slack_user_id or a.raw_id for a in came if a.joined_at is not None}
            detail = {**base, "ended": call.ended_at.isoformat(), "people": str(len(people))}
            if call.duration_seconds is not None:
                detail["duration_seconds"] = str(round(call.duration_seconds))
            told.append(
                self._audit.record_within(
                    session,
                    workspace,
                    action=AuditAction.CALL_ENDED,
                    room_number=number,
                    detail=detail,
                )
            )
        return told


def _change_call(call: RoomCallRow, event: CallEvent) -> bool:
    """Fill what this event knows of the call; whether what Slack shows changed."""
    changed = False
    if event.kind == "started" and call.started_by is None:
        # CallStarted's own time is the call's start, even when a later event came first.
        call.started_at, call.started_by = event.at, event.started_by or ""
        changed = True
    elif call.started_by is None and event.at < call.started_at:
        call.started_at, changed = event.at, True
    if event.kind == "ended" and call.ended_at is None:
        call.ended_at = event.at
        call.duration_seconds = event.duration_seconds
        changed = True
    return changed


def slack_user_of(session: Session, workspace: Workspace, raw_id: str) -> str | None:
    """The Slack user whose ACS identity `raw_id` is, in this workspace only."""
    found = identity_repo.find_identity_by_acs_id(session, acs_user_id=raw_id)
    if found is None or Workspace(found.enterprise_id, found.team_id) != workspace:
        return None
    return found.slack_user_id
