"""The rules of a room's roster: who may invite, re-role and remove whom, and how it is told."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.access import require_roster_right
from bot.services.attempts import Action
from bot.services.domain import Role
from bot.services.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    from bot.services.access import Actor
    from bot.services.domain import Member, RoomDetails

# The attempt log keeps at most this much of the people a roster change names.
PEOPLE_MAX = 2000


def roster_action(action: str) -> Action:
    """Inviting and re-roling are one ACS upsert; the attempt log tells them apart."""
    return Action.PARTICIPANTS_REROLED if action == "re-roled" else Action.PARTICIPANTS_ADDED


def people_and_roles(members: Mapping[str, Role]) -> str:
    return ",".join(f"{user}:{role.value}" for user, role in members.items())[:PEOPLE_MAX]


def people_named(slack_user_ids: Collection[str]) -> str:
    return ",".join(slack_user_ids)[:PEOPLE_MAX]


def require_right_to_set(room: RoomDetails, actor: Actor, members: Mapping[str, Role]) -> None:
    """Re-roling someone touches their old role as well as their new one."""
    current = {m.slack_user_id: m.role for m in room.members}
    affected = set(members.values()) | {current[u] for u in members if u in current}
    require_roster_right(room, actor, affected)
    if room.organizer_id in members and members[room.organizer_id] is not Role.PRESENTER:
        raise InvalidInput("The organizer always stays a Presenter.", field="people")


def members_leaving(
    room: RoomDetails, actor: Actor, slack_user_ids: Collection[str]
) -> list[Member]:
    """The members `slack_user_ids` names, once `actor` may take them out."""
    leaving = [m for m in room.members if m.slack_user_id in set(slack_user_ids)]
    if room.organizer_id in slack_user_ids:
        raise InvalidInput("The organizer can't be removed from their own room.")
    require_roster_right(room, actor, {m.role for m in leaving})
    return leaving
