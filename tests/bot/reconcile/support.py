"""Helpers for the reconcile tests: rooms made through RoomBot, drift made behind its back
(straight in ACS through a gateway of its own, or straight in the store), and the audit rows."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from acs_emulator import RunningEmulator
from bot.adapters.identity import AcsIdentityGateway
from bot.adapters.rooms import AcsRoomsGateway
from bot.services.container import Services
from bot.services.domain import AcsRoom, Role, RoomDetails, Workspace
from bot.services.new_room import NewRoom, acs_request_id
from storage import reservations
from storage import rooms as room_repo
from storage.models import AuditEventRow, RoomRow
from storage.session import session_scope
from tests.support.clock import ManualClock

WS = Workspace("", "T0ALPHA")
OTHER_WS = Workspace("", "T0BRAVO")
ANA, BEN, CHO = "U06ANA1001", "U06BEN1002", "U06CHO1003"


@dataclass
class World:
    """RoomBot's services plus a second, independent way into ACS and the store."""

    services: Services
    emulator: RunningEmulator
    engine: Engine
    acs: AcsRoomsGateway  # ACS behind RoomBot's back
    identities: AcsIdentityGateway
    clock: ManualClock

    def create(
        self,
        *,
        ws: Workspace = WS,
        organizer: str = ANA,
        members: dict[str, Role] | None = None,
        hours: float = 2,
    ) -> RoomDetails:
        start = self.clock()
        request = NewRoom(
            ws, organizer, "Design review", start, start + timedelta(hours=hours),
            members or {}, False, None, uuid.uuid4().hex,
        )  # fmt: skip
        return self.services.rooms.create(request).room

    def unrecorded(self, *, ws: Workspace = WS, organizer: str = ANA, reserve: bool) -> AcsRoom:
        """An ACS room made as RoomBot makes one, whose recording never happened: the
        reservation stays "creating" (or, reserve=False, there never was one)."""
        start, key = self.clock(), uuid.uuid4().hex
        end = start + timedelta(hours=1)
        if reserve:
            with session_scope(self.engine) as session:
                reservations.reserve_room(
                    session, enterprise_id=ws.enterprise_id, team_id=ws.team_id,
                    creation_key=key, title="Lost standup", organizer_id=organizer,
                    channel_id=None, valid_from=start, valid_until=end,
                    pstn_dial_out_enabled=False, now=start,
                )  # fmt: skip
        acs_id = self.services.identities.ensure_identities(ws, [organizer])[organizer]
        return self.acs.create_room(
            valid_from=start,
            valid_until=end,
            pstn_dial_out_enabled=False,
            participants={acs_id: Role.PRESENTER},
            request_id=acs_request_id(ws, key),
        )

    def foreign_room(self, *, with_people: bool) -> AcsRoom:
        """A room another app made on the shared resource."""
        people = {self.identities.create_identity(): Role.PRESENTER} if with_people else {}
        start = self.clock()
        return self.acs.create_room(
            valid_from=start,
            valid_until=start + timedelta(hours=1),
            pstn_dial_out_enabled=False,
            participants=people,
            request_id=uuid.uuid4().hex,
        )

    def stored(self, room: RoomDetails) -> RoomRow:
        with session_scope(self.engine) as session:
            row = room_repo.find_room_by_number(
                session,
                enterprise_id=room.workspace.enterprise_id,
                team_id=room.workspace.team_id,
                number=room.number,
            )
        assert row is not None
        return row

    def roster_in_acs(self, acs_room_id: str) -> dict[str, Role]:
        return {p.acs_id: p.role for p in self.acs.list_participants(acs_room_id)}

    def audit(self, ws: Workspace = WS) -> list[dict[str, Any]]:
        """This workspace's audit rows, oldest first, with their JSON parsed."""
        with session_scope(self.engine) as session:
            rows = session.exec(
                select(AuditEventRow)
                .where(col(AuditEventRow.team_id) == ws.team_id)
                .order_by(col(AuditEventRow.id))
            ).all()
        return [
            {
                "action": r.action,
                "outcome": r.outcome,
                "actor": r.actor_id,
                "room": r.room_number,
                "reason": r.reason,
                "before": json.loads(r.before_json) if r.before_json else None,
                "after": json.loads(r.after_json) if r.after_json else None,
                "detail": json.loads(r.detail_json) if r.detail_json else {},
            }
            for r in rows
        ]

    def reconciled(self, ws: Workspace = WS) -> list[dict[str, Any]]:
        return [e for e in self.audit(ws) if e["action"] == "room.reconciled"]
