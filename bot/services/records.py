"""Loading rooms from the store as domain objects, always scoped to one workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.calls.status import call_of
from bot.services.details import to_details
from bot.services.domain import RoomDetails, RoomKey, RoomState, Workspace
from bot.services.errors import InvalidInput, RoomNotFound
from storage import rooms as repo

if TYPE_CHECKING:
    from sqlmodel import Session

    from storage.models import RoomRow


# Where a session keeps the rooms it already found by number (see `_by_number`).
_FOUND_BY_NUMBER = "roombot.rooms_found_by_number"


def find_row(session: Session, workspace: Workspace, key: RoomKey) -> RoomRow:
    """The one live room `key` names in this workspace, or RoomNotFound."""
    scope = {"enterprise_id": workspace.enterprise_id, "team_id": workspace.team_id}
    row: RoomRow | None = None
    if key.number is not None:
        row = _by_number(session, workspace, key.number)
    elif key.acs_room_id is not None:
        row = repo.find_room_by_acs_id(session, acs_room_id=key.acs_room_id, **scope)
    elif key.title is not None:
        row = _only_titled(repo.find_rooms_by_title(session, title=key.title, **scope), key)
    if row is None or row.state == RoomState.CREATING:
        raise RoomNotFound(f"I can't find room {key.describe()} in this workspace.")
    return row


def _by_number(session: Session, workspace: Workspace, number: int) -> RoomRow | None:
    """The room numbered `number`, queried once per session.

    A change finds its room, writes it and reads it back in one transaction. Querying again
    would only return the object the session already holds (its identity map hands back the
    same object, attributes as this session left them), so the object is kept instead. A room
    not found is not kept: the same session may create it."""
    found: dict[tuple[Workspace, int], RoomRow] = session.info.setdefault(_FOUND_BY_NUMBER, {})
    row = found.get((workspace, number))
    if row is None:
        row = repo.find_room_by_number(
            session,
            enterprise_id=workspace.enterprise_id,
            team_id=workspace.team_id,
            number=number,
        )
        if row is not None:
            found[(workspace, number)] = row
    return row


def _only_titled(rows: list[RoomRow], key: RoomKey) -> RoomRow | None:
    if len(rows) > 1:
        numbers = ", ".join(f"#{r.number}" for r in rows[:5])
        raise InvalidInput(
            f"Several rooms are called {key.describe()} ({numbers}); use its number."
        )
    return rows[0] if rows else None


def load_details(session: Session, workspace: Workspace, key: RoomKey) -> RoomDetails:
    row = find_row(session, workspace, key)
    assert row.id is not None
    members = repo.list_members(session, room_id=row.id)
    return to_details(workspace, row, members, call_of(session, row.id))


def require_live(room: RoomDetails) -> None:
    if room.state is RoomState.DELETED:
        raise RoomNotFound(f"Room #{room.number} was deleted.")
