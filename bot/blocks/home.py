"""The App Home tab: the person's rooms by group, each with the card's buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from bot.blocks import ids
from bot.blocks.calls import call_line
from bot.blocks.kit import VIEW_BLOCKS_MAX, Json, actions, button, context, divider, header, section
from bot.blocks.summary import NO_JOIN, room_buttons, summary_line
from bot.services.domain import RoomState

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from bot.services.domain import RoomDetails
    from bot.services.join_links import JoinLinks

_EMPTY_HINTS: Final = {
    "Open now": "No room is open right now.",
    "Upcoming": "Nothing scheduled. Press *Create a room* or type `/room create`.",
    "Recently ended": "No room has ended recently.",
}
# Each group needs its header plus either an empty-state or a "…and N more" line.
_GROUP_OVERHEAD: Final = 2


def app_home(
    *,
    rooms_upcoming: Sequence[RoomDetails],
    rooms_open: Sequence[RoomDetails],
    rooms_ended: Sequence[RoomDetails],
    now: datetime,
    is_admin: bool,
    admin_section: list[Json] | None = None,
    links: JoinLinks = NO_JOIN,
) -> Json:
    """A `type: home` view for views.publish; never more than Slack's 100 blocks."""
    admin = _admin_blocks(admin_section) if is_admin else []
    groups = {"Open now": rooms_open, "Upcoming": rooms_upcoming, "Recently ended": rooms_ended}
    top = _top_blocks()
    budget = VIEW_BLOCKS_MAX - len(top) - len(admin) - _GROUP_OVERHEAD * len(groups)
    blocks = list(top)
    for index, (name, rooms) in enumerate(groups.items()):
        # A fair share per group, so a crowd of open rooms cannot hide every upcoming one;
        # whatever a group leaves unused goes to the groups after it.
        share = budget // (len(groups) - index)
        rows, used = _rows(rooms, now=now, budget=share, links=links)
        budget -= used
        blocks += _group(name, rows, hidden=len(rooms) - len(rows))
    return {"type": "home", "blocks": blocks + admin}


def _top_blocks() -> list[Json]:
    create = button(
        "Create a room",
        action_id=ids.HOME_CREATE,
        value="create",
        label="Create a new room",
        style="primary",
    )
    return [header("Your rooms"), actions([create], block_id=ids.HOME_CREATE_ACTIONS)]


def _rows(
    rooms: Sequence[RoomDetails], *, now: datetime, budget: int, links: JoinLinks
) -> tuple[list[list[Json]], int]:
    """As many rooms' rows as fit in `budget` blocks, and how many blocks they take."""
    rows: list[list[Json]] = []
    used = 0
    for room in rooms:
        row = _room_row(room, now, links)
        if used + len(row) > budget:
            break
        rows.append(row)
        used += len(row)
    return rows, used


def _group(name: str, rows: list[list[Json]], *, hidden: int) -> list[Json]:
    blocks = [header(name), *(block for row in rows for block in row)]
    if hidden:
        blocks.append(context(f"…and {hidden} more, use `/room list`"))
    elif not rows:
        blocks.append(context(_EMPTY_HINTS[name]))
    return blocks


def _room_row(room: RoomDetails, now: datetime, links: JoinLinks) -> list[Json]:
    buttons = room_buttons(room, now, links)
    row = [section(summary_line(room, now))]
    line = call_line(room.call) if room.state is not RoomState.DELETED else None
    if line is not None:
        row.append(context(line))
    return [*row, actions(buttons)] if buttons else row


def _admin_blocks(admin_section: list[Json] | None) -> list[Json]:
    if not admin_section:
        return []
    # The admin part is built elsewhere; keep it from crowding the person's own rooms out.
    return [divider(), header("Admin"), *admin_section[: VIEW_BLOCKS_MAX // 2]]
