"""Who may do what to a room. Refusals say who can, so users know whom to ask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.services.domain import Role, RoomDetails
from bot.services.errors import AccessDenied

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass(frozen=True)
class Actor:
    """The Slack user asking; `is_admin` covers workspace admins/owners and ROOMBOT_ADMINS."""

    user_id: str
    is_admin: bool = False


def is_manager(room: RoomDetails, actor: Actor) -> bool:
    return actor.is_admin or actor.user_id == room.organizer_id


def is_presenter(room: RoomDetails, actor: Actor) -> bool:
    return any(m.slack_user_id == actor.user_id for m in room.members_with(Role.PRESENTER))


def require_manager(room: RoomDetails, actor: Actor, doing: str) -> None:
    """Only the organizer and admins may change the room itself (window, PSTN, delete)."""
    if not is_manager(room, actor):
        raise AccessDenied(
            f"Only the organizer or a RoomBot admin can {doing} room #{room.number}.",
            ask=room.organizer_id,
        )


def require_roster_right(room: RoomDetails, actor: Actor, roles: Iterable[Role]) -> None:
    """Presenters may add, re-role and remove anyone who is (or becomes) a non-Presenter."""
    if is_manager(room, actor):
        return
    touches_presenters = Role.PRESENTER in set(roles)
    if is_presenter(room, actor) and not touches_presenters:
        return
    who = "the organizer or a RoomBot admin"
    if is_presenter(room, actor):
        raise AccessDenied(
            f"Only {who} can add, change or remove Presenters in room #{room.number}.",
            ask=room.organizer_id,
        )
    raise AccessDenied(
        f"Only {who} (or a Presenter, for Attendees, Consumers and Collaborators) "
        f"can change who is in room #{room.number}.",
        ask=room.organizer_id,
    )
