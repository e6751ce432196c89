"""What a `/room ...` line means, as typed values: the output of `bot.grammar.parser.parse_command`.

Pure data. Times are aware UTC datetimes; "not given" is None and the documented default
applies (see `CreateRoom.window`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services.domain import Role

DEFAULT_DURATION = timedelta(hours=1)


@dataclass(frozen=True)
class UserRef:
    """A Slack user by id (`<@U123>`, `<@W123|ana>`)."""

    user_id: str


@dataclass(frozen=True)
class UserNameRef:
    """A Slack user by the name typed after '@' (unescaped commands); resolved later."""

    name: str


@dataclass(frozen=True)
class UserGroupRef:
    """A Slack user group (`<!subteam^S123|@design>`): its members."""

    group_id: str


@dataclass(frozen=True)
class ChannelRef:
    """A channel (`<#C123|general>`): its members."""

    channel_id: str


PersonRef = UserRef | UserNameRef | UserGroupRef | ChannelRef


class RoomRefKind(StrEnum):
    NUMBER = "number"  # "#12" or "12": the room's number in the workspace
    ACS_ID = "acs_id"  # the 16-18 digit ACS room id
    TITLE = "title"


@dataclass(frozen=True)
class RoomRef:
    """A room as a person refers to it. `value` is the number's digits, the id or the title."""

    kind: RoomRefKind
    value: str


class ListScope(StrEnum):
    MINE = "mine"
    ALL = "all"


@dataclass(frozen=True)
class OpenCreateModal:
    """`/room` or `/room create` alone."""


@dataclass(frozen=True)
class CreateRoom:
    """`people` keeps the typed order; each person appears once, with their last-named role."""

    title: str
    start: datetime | None  # None: now
    end: datetime | None  # at most one of end and duration; neither: DEFAULT_DURATION
    duration: timedelta | None
    people: tuple[tuple[Role, PersonRef], ...]
    pstn: bool

    def window(self, now: datetime) -> tuple[datetime, datetime]:
        """The validity window with the defaults applied: from now, for one hour."""
        start = self.start or now
        return start, self.end or start + (self.duration or DEFAULT_DURATION)

    def people_with(self, role: Role) -> tuple[PersonRef, ...]:
        return tuple(person for person_role, person in self.people if person_role is role)


@dataclass(frozen=True)
class ListRooms:
    scope: ListScope


@dataclass(frozen=True)
class ShowRoom:
    room: RoomRef


@dataclass(frozen=True)
class InviteToRoom:
    room: RoomRef
    people: tuple[PersonRef, ...]
    role: Role


@dataclass(frozen=True)
class ChangeRole:
    room: RoomRef
    people: tuple[PersonRef, ...]
    role: Role


@dataclass(frozen=True)
class RemoveFromRoom:
    room: RoomRef
    people: tuple[PersonRef, ...]


@dataclass(frozen=True)
class ExtendRoom:
    room: RoomRef
    by: timedelta


@dataclass(frozen=True)
class RescheduleRoom:
    """A new start, and optionally a new end or a new length (at most one of them)."""

    room: RoomRef
    start: datetime
    end: datetime | None
    duration: timedelta | None


@dataclass(frozen=True)
class SetPstn:
    room: RoomRef
    enabled: bool


@dataclass(frozen=True)
class DeleteRoom:
    room: RoomRef


@dataclass(frozen=True)
class ShowHelp:
    topic: str | None  # a subcommand name, or None for the overview


@dataclass(frozen=True)
class ShowAudit:
    """For admins. `subject` narrows to a room or to people; None means everything."""

    subject: RoomRef | tuple[PersonRef, ...] | None
    since: datetime | None
    action: str | None


@dataclass(frozen=True)
class UsageError:
    """What couldn't be read (`message`, plain words) and how to type it (`usage`)."""

    message: str
    usage: str


Command = (
    OpenCreateModal
    | CreateRoom
    | ListRooms
    | ShowRoom
    | InviteToRoom
    | ChangeRole
    | RemoveFromRoom
    | ExtendRoom
    | RescheduleRoom
    | SetPstn
    | DeleteRoom
    | ShowHelp
    | ShowAudit
)
