"""Domain types shared by services, adapters and the Slack edge. Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


class Role(StrEnum):
    """ACS room roles, spelled as the service spells them."""

    PRESENTER = "Presenter"
    ATTENDEE = "Attendee"
    CONSUMER = "Consumer"
    COLLABORATOR = "Collaborator"

    @classmethod
    def parse(cls, text: str) -> Role | None:
        """Case-insensitive lookup that also accepts plurals ("presenters")."""
        word = text.strip().lower().removesuffix("s")
        return next((role for role in cls if role.value.lower() == word), None)


@dataclass(frozen=True)
class Workspace:
    """A Slack workspace as RoomBot scopes data: enterprise ('' when none) and team."""

    enterprise_id: str
    team_id: str


@dataclass(frozen=True)
class AcsRoom:
    """A room as ACS reports it (participants are listed separately)."""

    id: str
    created_at: datetime
    valid_from: datetime
    valid_until: datetime
    pstn_dial_out_enabled: bool


@dataclass(frozen=True)
class AcsParticipant:
    acs_id: str
    role: Role


@dataclass(frozen=True)
class AccessToken:
    """An ACS access token; `token` is a secret and must never be logged or posted."""

    token: str
    expires_on: datetime

    def __repr__(self) -> str:
        return f"AccessToken(token=<redacted>, expires_on={self.expires_on.isoformat()})"


class RoomState(StrEnum):
    CREATING = "creating"  # reserved in the store, ACS create in flight
    ACTIVE = "active"
    DELETED = "deleted"


@dataclass(frozen=True)
class Member:
    """One roster entry: a Slack user, their ACS identity and role."""

    slack_user_id: str
    acs_id: str
    role: Role


@dataclass(frozen=True)
class RoomDetails:
    """A room as RoomBot knows it: what cards, lists and App Home render."""

    workspace: Workspace
    number: int  # short reference, unique within the workspace: "#12"
    title: str
    acs_room_id: str
    organizer_id: str
    channel_id: str | None
    card_ts: str | None  # the room card's message ts in channel_id
    valid_from: datetime
    valid_until: datetime
    pstn_dial_out_enabled: bool
    state: RoomState
    members: tuple[Member, ...]
    join_key: str = ""  # the slug of its join link (/r/<key>); "" for a room not yet stored
    # The store's own key for the room, when it was read from the store: what happens beside a
    # change (its reminders) is written without looking the room up again. Not part of what
    # the room is: two snapshots of one room compare equal with or without it.
    store_id: int | None = field(default=None, compare=False, repr=False)
    # Its latest call, when the surface shows it (cards, /room show, App Home); like store_id,
    # not part of what the room is.
    call: CallStatus | None = field(default=None, compare=False, repr=False)

    def members_with(self, role: Role) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.role is role)

    def is_open(self, now: datetime) -> bool:
        return self.state is RoomState.ACTIVE and self.valid_from <= now < self.valid_until


@dataclass(frozen=True)
class CallStatus:
    """A room's latest call as ACS's calling events told it: live, or how it went."""

    started_at: datetime
    ended_at: datetime | None  # None while the call is on
    in_call: tuple[str, ...]  # Slack users in the call now, in the order they joined
    guests_in_call: int  # others in it now (identities RoomBot does not map to Slack users)
    people: int  # everyone who came, each counted once
    duration_seconds: float | None = None  # as ACS reported it when the call ended

    @property
    def live(self) -> bool:
        return self.ended_at is None

    @property
    def in_call_count(self) -> int:
        return len(self.in_call) + self.guests_in_call


@dataclass(frozen=True)
class RoomKey:
    """How a user named a room: its number (#12), its ACS id, or its title."""

    number: int | None = None
    acs_room_id: str | None = None
    title: str | None = None

    def describe(self) -> str:
        if self.number is not None:
            return f"#{self.number}"
        return self.acs_room_id or f"“{self.title}”"
