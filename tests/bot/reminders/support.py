"""Helpers for the reminder tests: a clock moved by hand, rooms with posted cards, and what
the store holds about reminders."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from sqlalchemy import Engine

from acs_emulator import RunningEmulator
from bot.adapters.acs import make_acs_gateways
from bot.services.container import Services
from bot.services.domain import RoomDetails, RoomKey, Workspace
from bot.services.new_room import NewRoom
from bot.slack_posts.cards import post_card
from slack_standin import SlackCall
from storage import reminders as repo
from storage import rooms as room_repo
from storage.models import ReminderRow
from storage.session import session_scope

WS = Workspace("", "T0DEMO")  # the stand-in's demo workspace
ANA, BEN = "U06ANA1001", "U06BEN1002"
GENERAL = "C0GENERAL"


@dataclass
class Rooms:
    services: Services
    client: WebClient
    emulator: RunningEmulator
    engine: Engine

    def open(
        self,
        length: timedelta,
        *,
        starts_in: timedelta = timedelta(0),
        channel: str | None = GENERAL,
        organizer: str = ANA,
    ) -> RoomDetails:
        """A room created through the services, with its card posted as the app posts it."""
        start = self.services.clock() + starts_in
        created = self.services.rooms.create(
            NewRoom(
                WS,
                organizer,
                "Design review",
                start,
                start + length,
                {},
                False,
                channel,
                uuid.uuid4().hex,
            )
        )
        posted = post_card(self.client, self.services, created.room)
        return created.room if isinstance(posted, str) else posted

    def get(self, room: RoomDetails) -> RoomDetails:
        return self.services.rooms.get(WS, RoomKey(number=room.number))

    def delete_in_acs(self, room: RoomDetails) -> None:
        rooms_gateway, identity_gateway = make_acs_gateways(
            connection_string=self.emulator.connection_string
        )
        rooms_gateway.delete_room(room.acs_room_id)
        rooms_gateway.close()
        identity_gateway.close()

    def reminders(self, room: RoomDetails) -> list[ReminderRow]:
        with session_scope(self.engine) as session:
            row = room_repo.find_room_by_number(
                session, enterprise_id=WS.enterprise_id, team_id=WS.team_id, number=room.number
            )
            assert row is not None
            assert row.id is not None
            return repo.list_reminders(session, room_id=row.id)

    def pending(self, room: RoomDetails) -> list[tuple[str, datetime]]:
        return [(r.kind, r.due_at) for r in self.reminders(room) if r.state == "pending"]


def posts(calls: list[SlackCall], *, ok: bool = True) -> list[dict[str, Any]]:
    """The arguments of chat.postMessage calls that succeeded (or failed, with ok=False)."""
    return [c.args for c in calls if c.method == "chat.postMessage" and c.ok is ok]


def button_values(message: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (element["action_id"], element["value"])
        for block in message.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def all_text(node: Any) -> str:
    """Every "text" string in a block tree, one per line, for assertions on what is shown."""
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return "\n".join(
            [*own, *(all_text(v) for v in node.values() if isinstance(v, dict | list))]
        )
    if isinstance(node, list):
        return "\n".join(all_text(item) for item in node)
    return ""
