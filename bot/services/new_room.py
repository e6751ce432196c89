"""What a request to create a room holds, and the rules checked before anything is stored."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.services.domain import Role, RoomDetails, Workspace
from bot.services.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

MAX_TITLE = 150
MAX_MEMBERS = 350
_REQUEST_IDS = uuid.UUID("6f1d3c2e-8a4b-4f7e-9c1d-52a0b3e4d5f6")


@dataclass(frozen=True)
class NewRoom:
    """What a user asked for. `creation_key` makes repeated submits create one room."""

    workspace: Workspace
    organizer_id: str
    title: str
    valid_from: datetime
    valid_until: datetime
    members: Mapping[str, Role]
    pstn_dial_out_enabled: bool
    channel_id: str | None
    creation_key: str


@dataclass(frozen=True)
class Reservation:
    """A room number held for a creation key, with the window the first request asked for."""

    room_id: int
    fresh: bool  # this request made the reservation
    valid_from: datetime
    valid_until: datetime
    pstn_dial_out_enabled: bool
    existing: RoomDetails | None  # set when the room was already created


@dataclass(frozen=True)
class Created:
    room: RoomDetails
    is_new: bool  # False when this submit repeated one that already made the room


def roster_with_organizer(organizer_id: str, members: Mapping[str, Role]) -> dict[str, Role]:
    """The organizer always presents; everyone else keeps the role asked for."""
    return {organizer_id: Role.PRESENTER} | {
        user: role for user, role in members.items() if user != organizer_id
    }


def check_title(title: str) -> str:
    """The title as stored: whitespace runs as one space, control characters (invisible, and
    a NUL is refused by PostgreSQL) left out."""
    visible = "".join(c for c in title if c.isspace() or unicodedata.category(c) != "Cc")
    cleaned = " ".join(visible.split())
    if not cleaned:
        raise InvalidInput("Give the room a title.", field="title")
    if len(cleaned) > MAX_TITLE:
        raise InvalidInput(f"Titles can be at most {MAX_TITLE} characters.", field="title")
    return cleaned


def acs_request_id(workspace: Workspace, creation_key: str) -> str:
    """The same workspace and creation key always yield the same Repeatability-Request-ID."""
    name = f"{workspace.enterprise_id}/{workspace.team_id}/{creation_key}"
    return str(uuid.uuid5(_REQUEST_IDS, name))
