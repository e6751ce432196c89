"""Rows read from the store as the domain's rooms: a pure mapping, no I/O."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.domain import CallStatus, Member, Role, RoomDetails, RoomState

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.services.domain import Workspace
    from storage.models import RoomMemberRow, RoomRow


def to_details(
    workspace: Workspace,
    row: RoomRow,
    members: Sequence[RoomMemberRow],
    call: CallStatus | None = None,
) -> RoomDetails:
    assert row.id is not None  # rows read from the store always have one
    return RoomDetails(
        workspace=workspace,
        number=row.number,
        title=row.title,
        acs_room_id=row.acs_room_id or "",
        organizer_id=row.organizer_id,
        channel_id=row.channel_id,
        card_ts=row.card_ts,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        pstn_dial_out_enabled=row.pstn_dial_out_enabled,
        state=RoomState(row.state),
        members=tuple(Member(m.slack_user_id, m.acs_user_id, Role(m.role)) for m in members),
        join_key=row.join_key,
        store_id=row.id,
        call=call,
    )
