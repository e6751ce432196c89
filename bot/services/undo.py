"""Putting ACS back when the store cannot follow it.

Every change goes to ACS first, then to the store. When the store is unavailable at that
point, ACS is set back to what the store still holds, so the two agree and the user's
"nothing was changed" is true. If even that fails, the drift is logged for `roombot reconcile`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, TypeVar

from bot.services.errors import RoomBotError, StoreUnavailable

if TYPE_CHECKING:
    from bot.services.domain import Role, RoomDetails
    from bot.services.ports import RoomsGateway

log = logging.getLogger(__name__)
T = TypeVar("T")
Undo = Callable[[], None]

# A deleted ACS room cannot come back; deleting again finishes the job (ACS's 404 is "done").
DELETE_UNFINISHED = (
    "ACS has deleted room #{number}, but RoomBot's database is temporarily unavailable, so "
    "RoomBot still lists it. Delete it again in a minute to finish."
)


def store_or_undo(room: RoomDetails, store: Callable[[], T], undo: Undo) -> T:
    """Run the store's half of a change; if the store is unavailable, undo the ACS half."""
    try:
        return store()
    except StoreUnavailable:
        try:
            undo()
        except RoomBotError as problem:
            log.error(
                "room #%s (ACS %s) changed in ACS but not in the store, and could not be "
                "set back: %s",
                room.number,
                room.acs_room_id,
                problem.message,
            )
        raise


def window_undo(rooms: RoomsGateway, room: RoomDetails) -> Undo:
    def undo() -> None:
        rooms.update_room(
            room.acs_room_id, valid_from=room.valid_from, valid_until=room.valid_until
        )

    return undo


def pstn_undo(rooms: RoomsGateway, room: RoomDetails) -> Undo:
    def undo() -> None:
        rooms.update_room(room.acs_room_id, pstn_dial_out_enabled=room.pstn_dial_out_enabled)

    return undo


def roster_undo(rooms: RoomsGateway, room: RoomDetails, touched: Collection[str]) -> Undo:
    """Give the ACS users in `touched` back the roles `room` had for them, or take them out."""

    def undo() -> None:
        before: Mapping[str, Role] = {m.acs_id: m.role for m in room.members}
        rooms.upsert_participants(
            room.acs_room_id, {acs_id: before[acs_id] for acs_id in touched if acs_id in before}
        )
        rooms.remove_participants(
            room.acs_room_id, [acs_id for acs_id in touched if acs_id not in before]
        )

    return undo
