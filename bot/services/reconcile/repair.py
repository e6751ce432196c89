"""Carrying out one finding's repair, told as one `room.reconciled` attempt (actor: RoomBot)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.attempts import Action, AttemptLog, Context, Outcome
from bot.services.details import to_details
from bot.services.domain import RoomDetails, Workspace
from bot.services.errors import RoomBotError, RoomNotFound
from bot.services.reconcile.findings import Finding, Repair, Result
from bot.services.uow import unit_of_work
from storage import reservations
from storage import rooms as repo

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Engine
    from sqlmodel import Session

    from bot.services.clock import Clock
    from bot.services.ports import RoomsGateway
    from storage.models import RoomRow

Rooms = tuple[RoomDetails | None, RoomDetails | None]


class Repairs:
    def __init__(
        self,
        *,
        engine: Engine,
        rooms: RoomsGateway,
        clock: Clock,
        attempts: AttemptLog,
        roster_now: Callable[[RoomDetails], list[Finding]],
    ) -> None:
        self._engine, self._rooms, self._clock, self._attempts = engine, rooms, clock, attempts
        self._roster_now = roster_now
        self._handlers: dict[Repair, Callable[[Finding], Rooms]] = {
            Repair.MARK_DELETED: self._mark_deleted,
            Repair.TAKE_ACS_WINDOW: self._take_acs_window,
            Repair.PUSH_ROSTER: self._push_roster,
            Repair.ADOPT: self._adopt,
            Repair.DELETE_IN_ACS: self._delete_in_acs,
            Repair.DISCARD_RESERVATION: self._discard,
        }

    def apply(self, finding: Finding) -> Result:
        """Repair, then tell the attempt; a refused repair is told as failed, never raised."""
        context = Context(
            Action.ROOM_RECONCILED, finding.workspace, None, finding.room_number, finding.detail()
        )
        try:
            before, after = self._handlers[finding.repair](finding)
        except RoomBotError as exc:
            failed = context.ended(Outcome.FAILED, self._clock(), reason=exc.message)
            self._attempts.tell(failed)
            return Result(finding, Outcome.FAILED, exc.message)
        self._attempts.tell(context.ended(Outcome.OK, self._clock(), before=before, after=after))
        return Result(finding, Outcome.OK)

    # --- store follows ACS ------------------------------------------------------------------

    def _mark_deleted(self, finding: Finding) -> Rooms:
        now = self._clock()
        return self._write(finding, lambda s, row: repo.mark_deleted(s, room_id=_id(row), now=now))

    def _take_acs_window(self, finding: Finding) -> Rooms:
        acs = finding.acs
        assert acs is not None  # window findings always carry the ACS room

        def write(session: Session, row: RoomRow) -> object:
            return repo.update_room(
                session,
                room_id=_id(row),
                now=self._clock(),
                valid_from=acs.valid_from,
                valid_until=acs.valid_until,
                pstn_dial_out_enabled=acs.pstn_dial_out_enabled,
            )

        return self._write(finding, write)

    def _adopt(self, finding: Finding) -> Rooms:
        acs = finding.acs
        assert acs is not None

        def write(session: Session, row: RoomRow) -> object:
            now = self._clock()
            adopted, moved = reservations.activate_room(
                session,
                room_id=_id(row),
                acs_room_id=acs.id,
                valid_from=acs.valid_from,
                valid_until=acs.valid_until,
                pstn_dial_out_enabled=acs.pstn_dial_out_enabled,
                now=now,
            )
            if not moved:  # its create finished meanwhile; the room stays as it recorded it
                raise RoomNotFound("the reservation was recorded meanwhile; nothing adopted")
            members = [(m.slack_user_id, m.acs_id, m.role.value) for m in finding.members]
            repo.upsert_members(session, room_id=_id(row), members=members, now=now)
            return adopted

        return self._write(finding, write)

    def _discard(self, finding: Finding) -> Rooms:
        self._write(finding, lambda s, row: reservations.discard_reservation(s, room_id=_id(row)))
        return finding.room, None

    def _write(self, finding: Finding, change: Callable[[Session, RoomRow], object]) -> Rooms:
        """Apply `change` to the finding's stored room; returns (before, after)."""
        room = finding.room
        assert room is not None  # store repairs always concern a stored room
        ws = room.workspace
        with unit_of_work(self._engine) as session:
            row = _row(session, ws, room.number)
            change(session, row)
            after = _details(session, ws, room.number)
        return room, after

    # --- ACS follows the store --------------------------------------------------------------

    def _push_roster(self, finding: Finding) -> Rooms:
        """Only what is still out of line when looked at again is pushed: an invite or
        removal in flight changes ACS first and the store a moment later, and must not be
        undone for being caught half-way by one of the two looks."""
        room = finding.room
        assert room is not None
        assert finding.acs_room_id is not None
        with unit_of_work(self._engine) as session:
            current = _details(session, room.workspace, room.number)
        again = self._roster_now(current) if current is not None else []
        upsert = {a: r for a, r in finding.upsert.items() if again and again[0].upsert.get(a) is r}
        remove = [a for a in finding.remove if again and a in again[0].remove]
        self._rooms.upsert_participants(finding.acs_room_id, upsert)
        self._rooms.remove_participants(finding.acs_room_id, remove)
        return room, current

    def _delete_in_acs(self, finding: Finding) -> Rooms:
        assert finding.acs_room_id is not None
        self._rooms.delete_room(finding.acs_room_id)
        return finding.room, finding.room


def _row(session: Session, ws: Workspace, number: int) -> RoomRow:
    row = repo.find_room_by_number(
        session, enterprise_id=ws.enterprise_id, team_id=ws.team_id, number=number
    )
    if row is None:
        raise RoomNotFound(f"room #{number} is no longer in the store")
    return row


def _details(session: Session, ws: Workspace, number: int) -> RoomDetails | None:
    row = repo.find_room_by_number(
        session, enterprise_id=ws.enterprise_id, team_id=ws.team_id, number=number
    )
    if row is None:
        return None
    return to_details(ws, row, repo.list_members(session, room_id=_id(row)))


def _id(row: RoomRow) -> int:
    assert row.id is not None  # rows read from the store always have one
    return row.id
