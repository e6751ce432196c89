"""Drift of the rooms a workspace has stored as live: gone from ACS, another window, another roster.

Directions, and why:

* Existence and window: ACS is the truth. A room ACS does not have cannot be joined, whatever
  the store says, and a window ACS holds is the one callers get; the store follows ACS.
* Roster: the store is the truth. It is RoomBot's record of what its users asked for (every
  invite, re-role and removal went through it), while ACS may have lost a change that failed
  half-way or been edited by hand; so missing people are added, roles reset, extras removed.
  Only RoomBot's own identities are ever removed: a participant whose identity RoomBot never
  issued was put there by someone else sharing the ACS resource (a recorder, another app)
  and is left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.services.details import to_details
from bot.services.errors import RoomBotError, RoomNotFound
from bot.services.reconcile.findings import Drift, Finding, Repair, Unchecked, same_moment
from bot.services.uow import unit_of_work
from storage import reconcile as repo
from storage import rooms as room_repo

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from sqlalchemy import Engine

    from bot.services.domain import AcsRoom, RoomDetails, Workspace
    from bot.services.ports import RoomsGateway


class StoredRooms:
    def __init__(self, *, engine: Engine, rooms: RoomsGateway) -> None:
        self._engine, self._rooms = engine, rooms

    def check(
        self, workspace: Workspace, listed: Mapping[str, AcsRoom], now: datetime
    ) -> tuple[list[Finding], list[Unchecked]]:
        """Findings for each live room of `workspace`; `listed` is ACS's room list by id."""
        findings: list[Finding] = []
        unchecked: list[Unchecked] = []
        for room in self._live(workspace):
            try:
                findings.extend(self._check(room, listed.get(room.acs_room_id), now))
            except RoomBotError as exc:
                unchecked.append(Unchecked(f"{workspace.team_id} #{room.number}", exc.message))
        return findings, unchecked

    def _live(self, ws: Workspace) -> list[RoomDetails]:
        with unit_of_work(self._engine) as session:
            rows = repo.live_rooms(session, enterprise_id=ws.enterprise_id, team_id=ws.team_id)
            rosters = room_repo.members_of(session, room_ids=[r.id for r in rows if r.id])
        return [to_details(ws, row, rosters[row.id or 0]) for row in rows]

    def _check(self, room: RoomDetails, listed: AcsRoom | None, now: datetime) -> list[Finding]:
        acs = listed or self._fetch(room.acs_room_id)
        if acs is None:
            what = "ACS no longer has this room"
            return [self._finding(room, Drift.GONE_FROM_ACS, Repair.MARK_DELETED, what)]
        found = []
        window = _window_drift(room, acs, now)
        if window:
            drift, repair = Drift.WINDOW_DIFFERS, Repair.TAKE_ACS_WINDOW
            found.append(self._finding(room, drift, repair, window, acs=acs))
        # Nobody can join an ended room, so its roster no longer matters.
        if acs.valid_until > now:
            found.extend(self.roster(room))
        return found

    def _fetch(self, acs_room_id: str) -> AcsRoom | None:
        """A room missing from the list is asked for by id: a list read while rooms are being
        created may page past one, and only a 404 proves it gone."""
        try:
            return self._rooms.get_room(acs_room_id)
        except RoomNotFound:
            return None

    def roster(self, room: RoomDetails) -> list[Finding]:
        """The roster finding for `room` as stored, from ACS's participants now (if any)."""
        in_acs = {p.acs_id: p.role for p in self._rooms.list_participants(room.acs_room_id)}
        wanted = {m.acs_id: m for m in room.members}
        upsert = {a: m.role for a, m in wanted.items() if in_acs.get(a) is not m.role}
        extras = [a for a in in_acs if a not in wanted]
        with unit_of_work(self._engine) as session:
            ours = repo.identities_by_acs_ids(session, acs_user_ids=extras)
        remove = tuple(a for a in extras if a in ours)
        if not upsert and not remove:
            return []
        missing = sum(1 for a in upsert if a not in in_acs)
        what = (
            f"ACS roster differs: {missing} missing, {len(upsert) - missing} in another role, "
            f"{len(remove)} not in the stored roster"
        )
        people = [wanted[a].slack_user_id for a in upsert] + [ours[a].slack_user_id for a in remove]
        drift, repair = Drift.ROSTER_DIFFERS, Repair.PUSH_ROSTER
        return [
            self._finding(
                room, drift, repair, what, upsert=upsert, remove=remove, people=",".join(people)
            )
        ]

    @staticmethod
    def _finding(
        room: RoomDetails, drift: Drift, repair: Repair, what: str, **extra: Any
    ) -> Finding:
        return Finding(
            room.workspace, drift, repair, what, acs_room_id=room.acs_room_id, room=room, **extra
        )


def _window_drift(room: RoomDetails, acs: AcsRoom, now: datetime) -> str:
    """What differs between the stored window and ACS's, or "" when nothing does."""
    parts = []
    if not same_moment(room.valid_from, acs.valid_from):
        parts.append(f"starts {acs.valid_from.isoformat()} in ACS")
    if not same_moment(room.valid_until, acs.valid_until):
        ended = " (ended)" if acs.valid_until <= now else ""
        parts.append(f"ends {acs.valid_until.isoformat()} in ACS{ended}")
    if room.pstn_dial_out_enabled != acs.pstn_dial_out_enabled:
        parts.append(f"PSTN dial-out {'on' if acs.pstn_dial_out_enabled else 'off'} in ACS")
    return "; ".join(parts)
