"""Creating and finding rooms, keeping the store and ACS in agreement."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import TYPE_CHECKING

from bot.services.attempts import Action, AttemptLog, Committed, Context, Outcome
from bot.services.calls.status import calls_of
from bot.services.clock import Clock, utc_now
from bot.services.details import to_details
from bot.services.domain import AcsRoom, Role, RoomDetails, RoomKey, RoomState, Workspace
from bot.services.errors import AccessDenied, InvalidInput, RoomBotError
from bot.services.new_room import (
    MAX_MEMBERS,
    Created,
    NewRoom,
    Reservation,
    acs_request_id,
    check_title,
    roster_with_organizer,
)
from bot.services.records import load_details
from bot.services.uow import unit_of_work
from bot.services.windows import check_window
from storage import reservations
from storage import rooms as repo

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy import Engine
    from sqlmodel import Session

    from bot.services.identities import IdentityService
    from bot.services.ports import RoomsGateway

log = logging.getLogger(__name__)


class RoomUseCases:
    """What every room use case works with: the store, ACS, identities and the clock."""

    def __init__(
        self,
        *,
        engine: Engine,
        rooms: RoomsGateway,
        identities: IdentityService,
        clock: Clock = utc_now,
        attempts: AttemptLog | None = None,
    ) -> None:
        self._engine = engine
        self._rooms = rooms
        self._identities = identities
        self._clock = clock
        self.attempts = attempts or AttemptLog()

    @contextmanager
    def _telling_failures(self, attempt: Context) -> Iterator[None]:
        """Tell a refused or failed attempt, then let its error reach the caller unchanged.
        A successful one is told with its store write (`_told_within`)."""
        try:
            yield
        except AccessDenied as denied:
            self.attempts.tell(attempt.ended(Outcome.DENIED, self._clock(), reason=denied.message))
            raise
        except RoomBotError as failed:
            self.attempts.tell(attempt.ended(Outcome.FAILED, self._clock(), reason=failed.message))
            raise

    def _told_within(
        self, session: Session, attempt: Context, before: RoomDetails | None, after: RoomDetails
    ) -> Committed:
        """The attempt's success, told in the transaction that stores it: its audit record and
        reminders are written with it. Call what this returns once that committed."""
        done = attempt.ended(Outcome.OK, self._clock(), before=before, after=after)
        return self.attempts.write(session, done)


class RoomService(RoomUseCases):
    """Creating and reading rooms."""

    # --- reading ------------------------------------------------------------------------

    def get(self, workspace: Workspace, key: RoomKey) -> RoomDetails:
        with unit_of_work(self._engine) as session:
            return load_details(session, workspace, key)

    def list_rooms(
        self,
        workspace: Workspace,
        *,
        involving: str | None,
        include_ended: bool = False,
        limit: int = 50,
    ) -> list[RoomDetails]:
        """Live rooms (open or upcoming; ended ones too on request), soonest first."""
        ending_after = None if include_ended else self._clock()
        with unit_of_work(self._engine) as session:
            rows = repo.list_rooms(
                session,
                enterprise_id=workspace.enterprise_id,
                team_id=workspace.team_id,
                involving=involving,
                ending_after=ending_after,
                limit=limit,
            )
            ids = [r.id for r in rows if r.id]
            members = repo.members_of(session, room_ids=ids)
            calls = calls_of(session, ids)
        return [
            to_details(workspace, r, members.get(r.id or 0, []), calls.get(r.id or 0)) for r in rows
        ]

    # --- creating -----------------------------------------------------------------------

    def create(self, request: NewRoom) -> Created:
        """Create the room, or find the one this creation key already made."""
        context = Context(
            Action.ROOM_CREATED,
            request.workspace,
            request.organizer_id,
            detail={"title": request.title[:200]},
        )
        with self._telling_failures(context):
            return self._create(request, context)

    def _create(self, request: NewRoom, context: Context) -> Created:
        title = check_title(request.title)
        check_window(request.valid_from, request.valid_until, now=self._clock())
        roster = roster_with_organizer(request.organizer_id, request.members)
        if len(roster) > MAX_MEMBERS:
            raise InvalidInput(f"A room can hold at most {MAX_MEMBERS} people.", field="people")
        # Identities first: provisioning may fail, and must not leave a reservation behind.
        acs_ids = self._identities.ensure_identities(request.workspace, list(roster))
        reservation = self._reserve(request, title)
        if reservation.existing is not None:
            return Created(reservation.existing, is_new=False)
        participants = {acs_ids[u]: r for u, r in roster.items()}
        acs_room = self._create_in_acs(request, reservation, participants)
        return self._record(request, context, reservation.room_id, acs_room, roster, acs_ids)

    def _reserve(self, request: NewRoom, title: str) -> Reservation:
        """Reserve a number for the room; a repeated submit finds the room it already made,
        or the reservation still being created, whose window it then uses."""
        ws = request.workspace
        with unit_of_work(self._engine) as session:
            row, fresh = reservations.reserve_room(
                session,
                enterprise_id=ws.enterprise_id,
                team_id=ws.team_id,
                creation_key=request.creation_key,
                title=title,
                organizer_id=request.organizer_id,
                channel_id=request.channel_id,
                valid_from=request.valid_from,
                valid_until=request.valid_until,
                pstn_dial_out_enabled=request.pstn_dial_out_enabled,
                now=self._clock(),
            )
            assert row.id is not None
            existing = None
            if row.state != RoomState.CREATING:
                existing = load_details(session, ws, RoomKey(number=row.number))
            return Reservation(
                row.id, fresh, row.valid_from, row.valid_until, row.pstn_dial_out_enabled, existing
            )

    def _create_in_acs(
        self, request: NewRoom, reservation: Reservation, participants: dict[str, Role]
    ) -> AcsRoom:
        """A repeated submit sends ACS exactly the first one's body (the reserved window),
        so the shared Repeatability-Request-ID replays the same room instead of failing."""
        try:
            return self._rooms.create_room(
                valid_from=reservation.valid_from,
                valid_until=reservation.valid_until,
                pstn_dial_out_enabled=reservation.pstn_dial_out_enabled,
                participants=participants,
                request_id=acs_request_id(request.workspace, request.creation_key),
            )
        except RoomBotError:
            if reservation.fresh:  # only the request that reserved may give the number back
                with unit_of_work(self._engine) as session:
                    reservations.discard_reservation(session, room_id=reservation.room_id)
            raise

    def _record(
        self,
        request: NewRoom,
        context: Context,
        room_id: int,
        acs_room: AcsRoom,
        roster: dict[str, Role],
        acs_ids: dict[str, str],
    ) -> Created:
        """Store what ACS created, told in the same transaction when it is new (a repeated
        submit finds a room already told); if that fails, delete the ACS room so nothing is
        orphaned."""
        try:
            with unit_of_work(self._engine) as session:
                row, is_new = reservations.activate_room(
                    session,
                    room_id=room_id,
                    acs_room_id=acs_room.id,
                    valid_from=acs_room.valid_from,
                    valid_until=acs_room.valid_until,
                    pstn_dial_out_enabled=acs_room.pstn_dial_out_enabled,
                    now=self._clock(),
                )
                members = [(u, acs_ids[u], r.value) for u, r in roster.items()]
                repo.upsert_members(session, room_id=room_id, members=members, now=self._clock())
                details = to_details(
                    request.workspace, row, repo.list_members(session, room_id=room_id)
                )
                committed = self._told_within(session, context, None, details) if is_new else None
        except RoomBotError:
            self._undo_acs_room(acs_room.id)
            raise
        if details.acs_room_id != acs_room.id:
            # A racing submit recorded its own ACS room first (ACS did not replay ours,
            # e.g. past its repeatability window); ours would be an orphan.
            self._undo_acs_room(acs_room.id)
        if committed is not None:
            committed()
        return Created(details, is_new=is_new)

    def _undo_acs_room(self, acs_room_id: str) -> None:
        try:
            self._rooms.delete_room(acs_room_id)
        except RoomBotError as exc:
            # Reconciliation finds ACS rooms the store does not know; say where to look.
            log.error("ACS room %s was created but not recorded: %s", acs_room_id, exc.message)
