"""Ephemeral replies to `/room` and follow-up notes for a card's thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from bot.blocks import ids
from bot.blocks.kit import MESSAGE_BLOCKS_MAX, Json, actions, button, context, message, section
from bot.blocks.room_card import room_card
from bot.blocks.summary import NO_JOIN, summary_line, title_text
from bot.blocks.text import escape, mention
from bot.services.domain import RoomState

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from bot.services.domain import RoomDetails
    from bot.services.join_links import JoinLinks

# A heading and a "…and N more" line take two of the message's blocks.
_LIST_ROWS_MAX: Final = MESSAGE_BLOCKS_MAX - 2


def room_list_message(rooms: Sequence[RoomDetails], *, now: datetime, scope: str) -> Json:
    """`scope` is the list's human label, e.g. "Your rooms" or "All rooms in this workspace"."""
    heading = f"*{escape(scope)}* ({len(rooms)})"
    if not rooms:
        return message(
            f"{escape(scope)}: none",
            [section(f"{heading}\nNo rooms. Type `/room create` to make one.")],
        )
    blocks = [section(heading), *(_list_row(room, now) for room in rooms[:_LIST_ROWS_MAX])]
    if len(rooms) > _LIST_ROWS_MAX:
        blocks.append(context(f"…and {len(rooms) - _LIST_ROWS_MAX} more not shown."))
    return message(f"{escape(scope)}: {len(rooms)} rooms", blocks)


def _list_row(room: RoomDetails, now: datetime) -> Json:
    details = button(
        "Details",
        action_id=ids.ROOM_DETAILS_OPEN,
        value=ids.room_value(room.number),
        label=f"Details of room #{room.number}",
    )
    return section(summary_line(room, now), accessory=details)


def room_details_message(room: RoomDetails, *, now: datetime, links: JoinLinks = NO_JOIN) -> Json:
    """The room card itself, shown only to the person who asked."""
    return room_card(room, now=now, links=links)


def not_invited_message(room: RoomDetails, user_id: str, *, now: datetime) -> Json | None:
    """What someone who pressed Join is told privately, when the call will not let them in;
    None when it will (Slack has opened the join page for them)."""
    if room.state is RoomState.DELETED:
        text = f"Room #{room.number} was deleted: there is no call to join."
    elif now >= room.valid_until:
        text = f"Room #{room.number} has ended: its call can no longer be joined."
    elif any(member.slack_user_id == user_id for member in room.members):
        return None
    elif user_id == room.organizer_id:
        text = (
            f"You organize room #{room.number} but are not on its roster, so its call won't "
            "let you in: add yourself with *Invite* on its card."
        )
    else:
        text = (
            f"You're not on the roster of room #{room.number}, so its call won't let you in. "
            f"Ask {mention(room.organizer_id)} (its organizer) or a RoomBot admin to invite you."
        )
    return message(text, [section(text)])


def personal_link_message(room: RoomDetails, url: str) -> Json:
    """A personal join link, only for the person who asked: it signs them in once."""
    text = (
        f"Your personal join link for room #{room.number}: it signs you in as yourself, once, "
        "within 5 minutes. Don't share it."
    )
    join = button(
        f"Join room #{room.number}",
        action_id=ids.ROOM_JOIN,
        value=ids.room_value(room.number),
        label=f"Join the call of room #{room.number} with your personal link",
        style="primary",
        url=url,
    )
    return message(text, [section(text), actions([join])])


def help_message(usage_table: list[tuple[str, str, str]]) -> Json:
    """One row per `(subcommand, usage, example)`, as the grammar describes them."""
    intro = section("*RoomBot* runs Azure Communication Services rooms from Slack.")
    rows = [section(_help_row(*row)) for row in usage_table[: MESSAGE_BLOCKS_MAX - 2]]
    tip = context("Every room's card and the RoomBot Home tab have buttons for the same actions.")
    return message("RoomBot help: the /room commands", [intro, *rows, tip])


def _help_row(subcommand: str, usage: str, example: str) -> str:
    # Usage strings hold placeholders like <title>: escaped, or Slack would read them as links.
    return f"*{escape(subcommand)}*  `{escape(usage)}`\nExample: `{escape(example)}`"


def error_message(text: str, usage: str | None = None) -> Json:
    """`text` is plain (it may echo what the person typed), so it is escaped."""
    blocks = [section(f":warning: {escape(text)}")]
    if usage:
        blocks.append(context(f"Usage: `{escape(usage)}`"))
    return message(escape(text), blocks)


def denied_message(text: str, *, ask: str | None = None) -> Json:
    """`text` is escaped; `ask` is the Slack user id of someone who can do it."""
    hint = f" Ask {mention(ask)}." if ask else ""
    return message(escape(text) + hint, [section(f":no_entry: {escape(text)}{hint}")])


def delete_confirm_message(room: RoomDetails) -> Json:
    n = room.number
    question = f"Delete room *#{n}* {title_text(room, 200)}? It goes away for everyone, for good."
    buttons = [
        button(
            f"Delete #{n}",
            action_id=ids.ROOM_DELETE,
            value=ids.room_value(n),
            label=f"Delete room #{n}",
            style="danger",
        ),
        button(
            "Cancel", action_id=ids.ROOM_DELETE_CANCEL, value=ids.room_value(n), label="Keep it"
        ),
    ]
    blocks = [section(question), actions(buttons, block_id=ids.DELETE_CONFIRM_ACTIONS)]
    return message(f"Delete room #{n}?", blocks)
