"""A room's latest call as the store holds it, read as the domain's CallStatus."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.domain import CallStatus
from storage import room_calls as repo

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from sqlmodel import Session

    from storage.models import CallAttendeeRow, RoomCallRow


def in_call(call: RoomCallRow, attendees: Sequence[CallAttendeeRow]) -> list[CallAttendeeRow]:
    """Who is in the call now (joined, not left, the call not over), in the order they joined."""
    if call.ended_at is not None:
        return []
    here = [a for a in attendees if a.joined_at is not None and a.left_at is None]
    return sorted(here, key=lambda a: (a.joined_at, a.id or 0))


def to_status(call: RoomCallRow, attendees: Sequence[CallAttendeeRow]) -> CallStatus:
    came = [a for a in attendees if a.joined_at is not None]
    here = in_call(call, attendees)
    users = tuple(dict.fromkeys(a.slack_user_id for a in here if a.slack_user_id))
    return CallStatus(
        started_at=call.started_at,
        ended_at=call.ended_at,
        in_call=users,
        guests_in_call=len({a.raw_id for a in here if not a.slack_user_id}),
        people=len({a.slack_user_id or a.raw_id for a in came}),
        duration_seconds=call.duration_seconds,
    )


def calls_of(session: Session, room_ids: Collection[int]) -> dict[int, CallStatus]:
    """Each room's latest call, by the room's store id; rooms never called are absent."""
    found = repo.latest_calls(session, room_ids=room_ids)
    return {room_id: to_status(call, who) for room_id, (call, who) in found.items()}


def call_of(session: Session, room_id: int) -> CallStatus | None:
    return calls_of(session, [room_id]).get(room_id)
