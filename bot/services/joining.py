"""Joining a room's call from its join link: who may, when, and with what token.

The join page knows a room only by its join key and the person only by their RoomBot session
(Sign in with Slack). A token is issued for the person's *own* ACS identity, and only after
the store says they are on the roster and the room is open now: ACS would refuse the join
otherwise (sub-codes 5828 not invited, 5829 outside the window, 5732 no such room).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.services.details import to_details
from bot.services.domain import AccessToken, RoomDetails, RoomState, Workspace
from bot.services.errors import RoomBotError
from bot.services.uow import unit_of_work
from storage import room_members
from storage import rooms as repo

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Engine

    from bot.services.clock import Clock
    from bot.services.ports import IdentityGateway

# ACS tokens live 1 to 24 hours; the page refreshes its token before it runs out.
TOKEN_LIFETIME = timedelta(hours=1)


class Refusal(StrEnum):
    NO_ROOM = "no_room"
    NOT_INVITED = "not_invited"
    NOT_YET_OPEN = "not_yet_open"
    ENDED = "ended"


class JoinRefused(RoomBotError):
    """Why the person cannot join; `reason` is stable for the page to act on."""

    def __init__(self, reason: Refusal, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Joiner:
    """Who the session says is asking."""

    workspace: Workspace
    slack_user_id: str


@dataclass(frozen=True)
class JoinGrant:
    room: RoomDetails
    role: str
    acs_user_id: str
    token: AccessToken

    def __repr__(self) -> str:  # never the token
        return f"JoinGrant(room=#{self.room.number}, role={self.role})"


class JoinService:
    def __init__(self, *, engine: Engine, identity: IdentityGateway, clock: Clock) -> None:
        self._engine, self._identity, self._clock = engine, identity, clock

    def now(self) -> datetime:
        return self._clock()

    def room(self, join_key: str) -> RoomDetails:
        """The room a join link names (live or not); JoinRefused(NO_ROOM) when none does."""
        with unit_of_work(self._engine) as session:
            row = repo.find_room_by_join_key(session, join_key=join_key)
            if row is None or row.id is None or row.acs_room_id is None:
                raise JoinRefused(Refusal.NO_ROOM, "This join link does not lead to a room.")
            members = room_members.list_members(session, room_id=row.id)
            return to_details(Workspace(row.enterprise_id, row.team_id), row, members)

    def grant(self, join_key: str, joiner: Joiner) -> JoinGrant:
        """A token for the joiner's own identity on the room's roster, if the room is open."""
        room = self.room(join_key)
        role, acs_user_id = admitted(room, joiner, self._clock())
        token = self._identity.issue_voip_token(acs_user_id, expires_in=TOKEN_LIFETIME)
        return JoinGrant(room, role, acs_user_id, token)


def admitted(room: RoomDetails, joiner: Joiner, now: datetime) -> tuple[str, str]:
    """The joiner's (role, ACS id) on the room, or JoinRefused saying why the call would not
    let them in. Another workspace's room is "no room" to them: a link reveals nothing."""
    if room.state is RoomState.DELETED or room.workspace != joiner.workspace:
        raise JoinRefused(Refusal.NO_ROOM, "This join link does not lead to a room.")
    member = next((m for m in room.members if m.slack_user_id == joiner.slack_user_id), None)
    if member is None:
        raise JoinRefused(
            Refusal.NOT_INVITED,
            f"You're not on the roster of room #{room.number}. Ask its organizer to invite you.",
        )
    if now < room.valid_from:
        raise JoinRefused(Refusal.NOT_YET_OPEN, f"Room #{room.number} is not open yet.")
    if now >= room.valid_until:
        raise JoinRefused(Refusal.ENDED, f"Room #{room.number} has ended.")
    return member.role.value, member.acs_id
