"""Every callback_id, action_id and block_id RoomBot's surfaces use, and the button value codec.

Listeners register on these names, so the builders and the listeners can never drift apart.
Button values carry the room's workspace-local number, never the ACS id: a value can be replayed
by anyone who sees the message, so the server re-checks access on every click anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, NamedTuple

from bot.services.domain import Role

# --- view callback ids -------------------------------------------------------------------------
ROOM_CREATE: Final = "room_create"
ROOM_EDIT: Final = "room_edit"
ROOM_INVITE: Final = "room_invite"
LOADING_VIEW: Final = "room_loading"  # placeholder opened on the trigger, replaced by views.update
RESULT_VIEW: Final = "room_result"  # done / error view; has no submit button

# --- shortcut callback ids ---------------------------------------------------------------------
CREATE_ROOM_SHORTCUT: Final = "create_room_shortcut"  # global
CREATE_ROOM_FROM_MESSAGE: Final = "create_room_from_message"  # message

# --- action ids --------------------------------------------------------------------------------
ROOM_EDIT_OPEN: Final = "room_edit_open"
ROOM_JOIN: Final = "room_join"  # a URL button: Slack opens the join page and tells us the click
ROOM_PERSONAL_LINK: Final = "room_personal_link"  # "Join link for me": a pass, sent privately
ROOM_CALENDAR: Final = "room_calendar"  # a URL button to the room's .ics; the click is only acked
ROOM_INVITE_OPEN: Final = "room_invite_open"
# Slack wants action ids unique within a block, so the three Extend buttons are
# "room_extend_1h" / "_1d" / "_7d": register on ROOM_EXTEND_PATTERN and read the value.
ROOM_EXTEND: Final = "room_extend"
ROOM_EXTEND_PATTERN: Final = re.compile(r"\Aroom_extend_\w+\Z")
ROOM_DELETE: Final = "room_delete"  # always confirmed first (dialog on cards, message on /room)
ROOM_DELETE_CANCEL: Final = "room_delete_cancel"
ROOM_DETAILS_OPEN: Final = "room_details_open"  # "Details" on a /room list row
HOME_CREATE: Final = "home_create"
AUDIT_NEXT: Final = "audit_next"
AUDIT_PREV: Final = "audit_prev"
AUDIT_EXPORT: Final = "audit_export"
AUDIT_EXPORT_ATTENDANCE: Final = "audit_export_attendance"

# --- block ids of messages and home ------------------------------------------------------------
CARD_ACTIONS: Final = "room_card_actions"
CARD_ROSTER: Final = "room_card_roster"
DELETE_CONFIRM_ACTIONS: Final = "room_delete_confirm_actions"
HOME_CREATE_ACTIONS: Final = "home_create_actions"


@dataclass(frozen=True)
class InputId:
    """A modal input: its block_id (the key of `errors`) and its element's action_id."""

    block_id: str
    action_id: str


# --- modal inputs (create, edit, invite) -------------------------------------------------------
TITLE: Final = InputId("room_title", "title")
START: Final = InputId("room_start", "start")
END: Final = InputId("room_end", "end")
DURATION: Final = InputId("room_duration", "duration")
CHANNEL: Final = InputId("room_channel", "channel")
PSTN: Final = InputId("room_pstn", "pstn")
ROLE_PEOPLE: Final[dict[Role, InputId]] = {
    Role.PRESENTER: InputId("room_presenters", "presenters"),
    Role.ATTENDEE: InputId("room_attendees", "attendees"),
    Role.CONSUMER: InputId("room_consumers", "consumers"),
    Role.COLLABORATOR: InputId("room_collaborators", "collaborators"),
}
INVITE_PEOPLE: Final = InputId("invite_people", "people")
INVITE_ROLE: Final = InputId("invite_role", "role")

PSTN_OPTION_VALUE: Final = "pstn_dial_out"

# --- Extend buttons: key carried in the value -> how much longer -------------------------------
EXTEND_BY: Final[dict[str, timedelta]] = {
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
    "7d": timedelta(days=7),
}


def extend_action_id(key: str) -> str:
    if key not in EXTEND_BY:
        raise ValueError(f"unknown extend key {key!r}")
    return f"{ROOM_EXTEND}_{key}"


def room_value(number: int) -> str:
    return str(number)


def extend_value(number: int, key: str, shown_until: datetime | None = None) -> str:
    """`12:1h`, and with the end the button's surface showed, `12:1h:1765046400`: a click
    then acts on that state (a second click on the same card does not extend twice)."""
    if key not in EXTEND_BY:
        raise ValueError(f"unknown extend key {key!r}")
    if shown_until is None:
        return f"{number}:{key}"
    return f"{number}:{key}:{int(shown_until.timestamp())}"


class ExtendClick(NamedTuple):
    number: int
    by: timedelta
    shown_until: datetime | None  # None on buttons posted before they carried it


ROOM_NUMBER_MAX: Final = 999_999_999  # nine digits, as `/room … #N` accepts


def parse_room_value(value: str) -> int | None:
    """The room number a button carried, or None if the value was tampered with.

    Forged values may be huge: cap the digits before int() (which refuses over 4,300 digits)
    and keep the number inside what every database column can hold.
    """
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        return None
    return is_room_number(int(value))


def is_room_number(number: object) -> int | None:
    """`number` if it can be a room's number (an int from 1 to ROOM_NUMBER_MAX), else None."""
    if isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= ROOM_NUMBER_MAX:
        return number
    return None


def parse_extend_value(value: str) -> ExtendClick | None:
    number_text, _, rest = value.partition(":")
    key, _, shown = rest.partition(":")
    number = parse_room_value(number_text)
    if number is None or key not in EXTEND_BY:
        return None
    if not shown:
        return ExtendClick(number, EXTEND_BY[key], None)
    if not (shown.isascii() and shown.isdigit() and len(shown) <= 11):
        return None
    return ExtendClick(number, EXTEND_BY[key], datetime.fromtimestamp(int(shown), UTC))
