"""The room card: the channel message that shows a room and carries its buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from bot.blocks import ids
from bot.blocks.calls import call_line
from bot.blocks.kit import (
    HEADER_TEXT_MAX,
    SECTION_TEXT_MAX,
    Json,
    actions,
    context,
    fields_section,
    header,
    section,
)
from bot.blocks.summary import (
    NO_JOIN,
    ROLE_PLURALS,
    Status,
    fallback_text,
    join_note,
    room_buttons,
    status_of,
    title_text,
)
from bot.blocks.text import escape, join_within, mention, slack_date
from bot.services.domain import Role, RoomDetails

if TYPE_CHECKING:
    from datetime import datetime

    from bot.services.join_links import JoinLinks

# Room for each role's "*Presenters (12)*: " prefix and the newline between role lines.
_ROLE_LINE_OVERHEAD: Final = 40


def room_card(
    room: RoomDetails,
    *,
    now: datetime,
    deleted_by: str | None = None,
    links: JoinLinks = NO_JOIN,
) -> Json:
    """`{"text", "blocks"}` for chat.postMessage / chat.update / respond."""
    status = status_of(room, now)
    blocks = [
        header(title_text(room, HEADER_TEXT_MAX)),
        fields_section(_facts(room, status)),
        section(roster_text(room), block_id=ids.CARD_ROSTER),
        context(f"ACS room ID: `{escape(room.acs_room_id)}`"),
    ]
    if status is Status.DELETED:
        blocks.append(context(_deleted_note(deleted_by)))
    live = call_line(room.call) if status is not Status.DELETED else None
    if live is not None:
        blocks.append(context(live))
    note = join_note(room, now, links)
    if note is not None:
        blocks.append(context(note))
    buttons = room_buttons(room, now, links)
    if buttons:
        blocks.append(actions(buttons, block_id=ids.CARD_ACTIONS))
    return {"text": fallback_text(room, now), "blocks": blocks}


def _facts(room: RoomDetails, status: Status) -> list[str]:
    return [
        f"*Room*\n#{room.number}",
        f"*Status*\n{status.value.capitalize()}",
        f"*Starts*\n{slack_date(room.valid_from)}",
        f"*Ends*\n{slack_date(room.valid_until)}",
        f"*Organizer*\n{mention(room.organizer_id)}",
        f"*PSTN dial-out*\n{'On' if room.pstn_dial_out_enabled else 'Off'}",
    ]


def _deleted_note(deleted_by: str | None) -> str:
    return f"Deleted by {mention(deleted_by)}" if deleted_by else "This room was deleted."


def roster_text(room: RoomDetails, limit: int = SECTION_TEXT_MAX) -> str:
    """One line per non-empty role; each shares what is left of `limit` with the roles after it."""
    roles = [role for role in Role if room.members_with(role)]
    if not roles:
        return "*Roster*: nobody invited yet"
    lines: list[str] = []
    remaining = limit - _ROLE_LINE_OVERHEAD * len(roles)
    for index, role in enumerate(roles):
        people = [mention(m.slack_user_id) for m in room.members_with(role)]
        listed = join_within(people, remaining // (len(roles) - index))
        remaining -= len(listed)
        lines.append(f"*{ROLE_PLURALS[role]} ({len(people)})*: {listed}")
    return "\n".join(lines)
