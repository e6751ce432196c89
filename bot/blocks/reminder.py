"""Reminder messages: before a room expires, when it opens, once it has expired, and when
ACS no longer has it. Each names the room, says when, and is honest about being late."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from bot.blocks import ids
from bot.blocks.kit import Json, actions, button, context, message, section
from bot.blocks.summary import NO_JOIN, join_buttons, title_text
from bot.blocks.text import mention, slack_date
from bot.services.reminders.rules import Kind, Notice

if TYPE_CHECKING:
    from datetime import timedelta

    from bot.services.domain import RoomDetails
    from bot.services.join_links import JoinLinks

_TITLE_MAX: Final = 150
_EXTEND: Final = {"1h": ("+1 h", "1 hour"), "1d": ("+1 d", "1 day"), "7d": ("+7 d", "7 days")}
_UNITS: Final = (("day", 1440), ("hour", 60))


def spoken(span: timedelta) -> str:
    """`span` in the largest whole unit that fits, rounded: "1 day", "2 hours", "35 minutes"."""
    minutes = max(1, round(span.total_seconds() / 60))
    for unit, size in _UNITS:
        if minutes >= size:
            return _count(round(minutes / size), unit)
    return _count(minutes, "minute")


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" + ("" if number == 1 else "s")


def reminder_message(notice: Notice, links: JoinLinks = NO_JOIN) -> Json:
    """The message for a due notice, in the room's channel (or the organizer's DM); while
    the room is open it carries Join."""
    join = join_buttons(notice.room, notice.now, links)
    if notice.kind is Kind.OPEN:
        return _open_message(notice, join)
    if notice.kind is Kind.EXPIRED:
        return expired_note(notice, with_buttons=True)
    return _expiring_message(notice, join)


def _name(room: RoomDetails) -> str:
    return f"Room #{room.number} *{title_text(room, _TITLE_MAX)}*"


def _late(notice: Notice, what: str = "reminder") -> str:
    return f" _This {what} is late._" if notice.late_by else ""


def _expiring_message(notice: Notice, join: list[Json]) -> Json:
    room, now = notice.room, notice.now
    when = slack_date(room.valid_until)
    if now >= room.valid_until:
        text = f":hourglass: {_name(room)} expired {spoken(now - room.valid_until)} ago, {when}."
    else:
        left = spoken(room.valid_until - now)
        text = f":hourglass_flowing_sand: {_name(room)} expires in {left}, {when}."
    return _with_extend(text + _late(notice), room, join)


def _open_message(notice: Notice, join: list[Json]) -> Json:
    room, until = notice.room, slack_date(notice.room.valid_until)
    if notice.late_by:
        since = f"opened {spoken(notice.now - room.valid_from)} ago"
        text = f":door: {_name(room)} {since}; it is open until {until}."
    else:
        text = f":door: {_name(room)} is open now, until {until}."
    blocks = [section(text + _late(notice, "notice"))]
    return message(text, [*blocks, actions(join)] if join else blocks)


def expired_note(notice: Notice, *, with_buttons: bool) -> Json:
    """The note in the card's thread once the room has expired; in a DM it carries the
    Extend buttons the card would have offered."""
    room, when = notice.room, slack_date(notice.room.valid_until)
    if notice.late_by:
        text = f":checkered_flag: {_name(room)} expired {spoken(notice.late_by)} ago, {when}."
    else:
        text = f":checkered_flag: {_name(room)} has expired ({when})."
    if with_buttons:
        return _with_extend(f"{text} Extend it to reopen it.", room)
    return message(text, [section(f"{text} Extend it from the card to reopen it.")])


def gone_note(room: RoomDetails) -> Json:
    text = (
        f":wastebasket: {_name(room)} no longer exists in Azure Communication Services, "
        "so RoomBot has marked it deleted."
    )
    return message(text, [section(text)])


def _with_extend(text: str, room: RoomDetails, join: list[Json] | None = None) -> Json:
    who = f"{mention(room.organizer_id)} (the organizer) or a RoomBot admin can extend it."
    blocks = [section(text), context(who), actions([*(join or []), *_extend_buttons(room)])]
    return message(text, blocks)


def _extend_buttons(room: RoomDetails) -> list[Json]:
    """The card's Extend buttons (same action ids and values), so the same listener, with
    the same access rules, handles a click on either."""
    return [
        button(
            f"Extend {short}",
            action_id=ids.extend_action_id(key),
            value=ids.extend_value(room.number, key, room.valid_until),
            label=f"Extend room #{room.number} by {spoken_label}",
        )
        for key, (short, spoken_label) in _EXTEND.items()
    ]
