"""One request from one person, with everything a handler needs to act and to answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.grammar.typed_commands import RoomRef, RoomRefKind
from bot.listeners.people import PeopleResolver
from bot.services.domain import RoomKey

if TYPE_CHECKING:
    from datetime import datetime

    from slack_sdk import WebClient

    from bot.listeners.directory import UserDirectory
    from bot.listeners.requester import Requester
    from bot.services.container import Services

Reply = Callable[[dict[str, Any]], object]


@dataclass
class Interaction:
    requester: Requester
    client: WebClient
    services: Services
    users: UserDirectory
    reply: Reply  # ephemeral, only the requester sees it

    @property
    def now(self) -> datetime:
        return self.services.clock()

    def people(self) -> PeopleResolver:
        return PeopleResolver(self.client, self.users, self.requester.workspace.team_id)

    def tell(self, text: str) -> None:
        self.reply({"text": text})


def room_key(ref: RoomRef) -> RoomKey:
    if ref.kind is RoomRefKind.NUMBER:
        return RoomKey(number=int(ref.value))
    if ref.kind is RoomRefKind.ACS_ID:
        return RoomKey(acs_room_id=ref.value)
    return RoomKey(title=ref.value)
