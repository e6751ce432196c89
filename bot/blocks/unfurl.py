"""A pasted join link, unfurled: the room's compact card (title, window, live state, Join)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.blocks.calls import call_line
from bot.blocks.kit import Json, actions, context, section
from bot.blocks.summary import NO_JOIN, join_buttons, status_of, title_text, when_text

if TYPE_CHECKING:
    from datetime import datetime

    from bot.services.domain import RoomDetails
    from bot.services.join_links import JoinLinks


def room_unfurl(room: RoomDetails, *, now: datetime, links: JoinLinks = NO_JOIN) -> Json:
    """`{"blocks": …}` for chat.unfurl's `unfurls[url]`."""
    status = status_of(room, now)
    blocks = [
        section(f"*{title_text(room, 150)}* · Room #{room.number} · {when_text(room, status)}")
    ]
    line = call_line(room.call)
    if line is not None:
        blocks.append(context(line))
    buttons = join_buttons(room, now, links)
    if buttons:
        blocks.append(actions(buttons))
    return {"blocks": blocks}
