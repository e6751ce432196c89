"""ACS rooms the store does not hold as live, and reservations whose ACS create never finished.

Which ACS rooms are RoomBot's: the ACS resource may be shared with other apps, and ACS keeps
no tag or creator on a room (the Repeatability-Request-ID is not readable back), so a room is
RoomBot's only when every one of its participants is an identity RoomBot issued, all of one
workspace. RoomBot never makes a room without its organizer in it, so a room with nobody in
it, or with anyone RoomBot does not know, is someone else's and is never touched.

Such a room that the store does not record (the recording failed and so did the compensating
delete, or a racing double submit lost) is adopted when its creator is known, that is when a
reservation of that workspace still waits for it: same window and PSTN flag as reserved, and
the reservation's organizer is a Presenter in it. Otherwise nobody asked for it: it is deleted.
Rooms and reservations younger than `grace` are left alone: their create may still be running.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.services.details import to_details
from bot.services.domain import AcsRoom, Member, Role, RoomDetails, Workspace
from bot.services.errors import RoomBotError
from bot.services.reconcile.findings import Drift, Finding, Repair, Unchecked, same_moment
from bot.services.uow import unit_of_work
from storage import reconcile as repo
from storage import reservations
from storage.models import DELETED

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping
    from datetime import datetime, timedelta

    from sqlalchemy import Engine

    from bot.services.ports import RoomsGateway


@dataclass(frozen=True)
class Orphan:
    acs: AcsRoom
    members: tuple[Member, ...]


class UnstoredRooms:
    def __init__(self, *, engine: Engine, rooms: RoomsGateway, grace: timedelta) -> None:
        self._engine, self._rooms, self._grace = engine, rooms, grace

    def check(
        self, scope: Collection[Workspace], listed: Mapping[str, AcsRoom], now: datetime
    ) -> tuple[list[Finding], list[Unchecked]]:
        with unit_of_work(self._engine) as session:
            recorded = repo.rooms_by_acs_ids(session, acs_room_ids=list(listed))
        findings: list[Finding] = []
        unchecked: list[Unchecked] = []
        orphans: dict[Workspace, list[Orphan]] = {ws: [] for ws in scope}
        for acs in listed.values():
            row = recorded.get(acs.id)
            if row is not None:
                ws = Workspace(row.enterprise_id, row.team_id)
                if row.state == DELETED and ws in orphans:
                    findings.append(_deleted_still_in_acs(to_details(ws, row, []), acs))
            elif acs.created_at <= now - self._grace:
                try:
                    owned = self._owner(acs)
                except RoomBotError as exc:
                    unchecked.append(Unchecked(f"ACS room {acs.id}", exc.message))
                    continue
                if owned is not None and owned[0] in orphans:
                    orphans[owned[0]].append(owned[1])
        for ws, found in orphans.items():
            findings.extend(self._settle(ws, found, now, discard=not unchecked))
        return findings, unchecked

    def _owner(self, acs: AcsRoom) -> tuple[Workspace, Orphan] | None:
        """The workspace whose identities fill the room, when they all are RoomBot's."""
        participants = self._rooms.list_participants(acs.id)
        with unit_of_work(self._engine) as session:
            ours = repo.identities_by_acs_ids(
                session, acs_user_ids=[p.acs_id for p in participants]
            )
        if not participants or any(p.acs_id not in ours for p in participants):
            return None
        workspaces = {Workspace(r.enterprise_id, r.team_id) for r in ours.values()}
        if len(workspaces) != 1:
            return None
        members = (Member(ours[p.acs_id].slack_user_id, p.acs_id, p.role) for p in participants)
        return workspaces.pop(), Orphan(acs, tuple(members))

    def _settle(
        self, ws: Workspace, orphans: list[Orphan], now: datetime, *, discard: bool
    ) -> list[Finding]:
        """Pair each orphan with the reservation that made it; unpaired ones go. Reservations
        left over are discarded, unless an ACS room could not be checked (it may be theirs)."""
        waiting = self._stale_reservations(ws, now)
        findings = []
        for orphan in orphans:
            made_by = next((r for r in waiting if _made(r, orphan)), None)
            if made_by is None:
                findings.append(_unclaimed(ws, orphan))
                continue
            waiting.remove(made_by)
            findings.append(_adoption(made_by, orphan))
        if discard:
            findings.extend(_discard(reservation) for reservation in waiting)
        return findings

    def _stale_reservations(self, ws: Workspace, now: datetime) -> list[RoomDetails]:
        with unit_of_work(self._engine) as session:
            rows = reservations.list_stale_reservations(session, older_than=now - self._grace)
        return [
            to_details(ws, row, [])
            for row in rows
            if (row.enterprise_id, row.team_id) == (ws.enterprise_id, ws.team_id)
        ]


def _made(reservation: RoomDetails, orphan: Orphan) -> bool:
    acs = orphan.acs
    presenters = {m.slack_user_id for m in orphan.members if m.role is Role.PRESENTER}
    return (
        reservation.organizer_id in presenters
        and same_moment(reservation.valid_from, acs.valid_from)
        and same_moment(reservation.valid_until, acs.valid_until)
        and reservation.pstn_dial_out_enabled == acs.pstn_dial_out_enabled
    )


def _people(members: Collection[Member]) -> str:
    return ",".join(m.slack_user_id for m in members)


def _adoption(reservation: RoomDetails, orphan: Orphan) -> Finding:
    what = f"ACS has the room reserved as “{reservation.title}” but the store never recorded it"
    return Finding(
        reservation.workspace,
        Drift.UNRECORDED_ROOM,
        Repair.ADOPT,
        what,
        acs_room_id=orphan.acs.id,
        room=reservation,
        acs=orphan.acs,
        members=orphan.members,
        people=_people(orphan.members),
    )


def _unclaimed(ws: Workspace, orphan: Orphan) -> Finding:
    what = "ACS has a room of this workspace's people that no reservation asked for"
    return Finding(
        ws,
        Drift.UNRECORDED_ROOM,
        Repair.DELETE_IN_ACS,
        what,
        acs_room_id=orphan.acs.id,
        acs=orphan.acs,
        people=_people(orphan.members),
    )


def _deleted_still_in_acs(room: RoomDetails, acs: AcsRoom) -> Finding:
    what = "the room was deleted in RoomBot but ACS still has it"
    drift, repair = Drift.DELETED_STILL_IN_ACS, Repair.DELETE_IN_ACS
    return Finding(room.workspace, drift, repair, what, acs_room_id=acs.id, room=room, acs=acs)


def _discard(reservation: RoomDetails) -> Finding:
    what = f"the reservation “{reservation.title}” never got its ACS room"
    drift, repair = Drift.STALE_RESERVATION, Repair.DISCARD_RESERVATION
    return Finding(reservation.workspace, drift, repair, what, room=reservation)
