"""What every surface says about a room: its status, one-line summary and buttons."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Final

from bot.blocks import ids
from bot.blocks.kit import Json, button, confirm_dialog
from bot.blocks.text import one_line, safe, slack_date
from bot.services.domain import Role, RoomDetails, RoomState
from bot.services.join_links import JoinLinks

if TYPE_CHECKING:
    from datetime import datetime

ROLE_PLURALS: Final = {
    Role.PRESENTER: "Presenters",
    Role.ATTENDEE: "Attendees",
    Role.CONSUMER: "Consumers",
    Role.COLLABORATOR: "Collaborators",
}
SUMMARY_TITLE_MAX: Final = 80
NO_JOIN: Final = JoinLinks()  # nowhere to send Join: no Join button


class Status(StrEnum):
    CREATING = "being created"
    UPCOMING = "upcoming"
    OPEN = "open now"
    ENDED = "ended"
    DELETED = "deleted"


def status_of(room: RoomDetails, now: datetime) -> Status:
    if room.state is RoomState.DELETED:
        return Status.DELETED
    if room.state is RoomState.CREATING:
        return Status.CREATING
    if now < room.valid_from:
        return Status.UPCOMING
    return Status.OPEN if now < room.valid_until else Status.ENDED


def title_text(room: RoomDetails, limit: int) -> str:
    """The room's title, escaped, on one line and within `limit` characters."""
    return safe(one_line(room.title), limit) or "Untitled room"


def when_text(room: RoomDetails, status: Status) -> str:
    start, end = slack_date(room.valid_from), slack_date(room.valid_until)
    if status is Status.UPCOMING:
        return f"starts {start}, ends {end}"
    if status is Status.OPEN:
        return f"open until {end}"
    if status is Status.ENDED:
        return f"ended {end}"
    return f"{start} – {end}"


def summary_line(room: RoomDetails, now: datetime) -> str:
    """`*#12* Weekly sync · open now · open until …`: one mrkdwn line for lists and App Home."""
    status = status_of(room, now)
    title = title_text(room, SUMMARY_TITLE_MAX)
    if status in (Status.UPCOMING, Status.OPEN, Status.ENDED):
        return f"*#{room.number}* {title} · {when_text(room, status)}"
    return f"*#{room.number}* {title} · {status.value}"


def fallback_text(room: RoomDetails, now: datetime) -> str:
    """Plain fallback for notifications and screen readers (still mrkdwn-parsed: escaped)."""
    status = status_of(room, now)
    return (
        f"Room #{room.number}: {title_text(room, 150)} ({status.value}, {when_text(room, status)})"
    )


def room_buttons(room: RoomDetails, now: datetime, links: JoinLinks = NO_JOIN) -> list[Json]:
    """The card's buttons for the room's status: none once deleted or while being created;
    Join first, and only while the room is open (ACS refuses a join outside its window)."""
    status = status_of(room, now)
    if status is Status.ENDED:
        return [*_extend_buttons(room), _delete_button(room)]
    if status in (Status.UPCOMING, Status.OPEN):
        join = join_buttons(room, now, links)
        join += _personal_button(room, links) if join else []
        join += _calendar_button(room, links)
        return [*join, *_manage_buttons(room), *_extend_buttons(room), _delete_button(room)]
    return []


def _personal_button(room: RoomDetails, links: JoinLinks) -> list[Json]:
    """For people not signed in to Slack in their browser: a link that signs them in once."""
    if not links.sends_personal_links:
        return []
    label = f"Get a personal join link for room #{room.number}"
    value = ids.room_value(room.number)
    return [button("Join link for me", action_id=ids.ROOM_PERSONAL_LINK, value=value, label=label)]


def _calendar_button(room: RoomDetails, links: JoinLinks) -> list[Json]:
    url = links.calendar_url_for(room)
    if url is None:
        return []
    label = f"Add room #{room.number} to your calendar"
    return [
        button(
            "Add to calendar",
            action_id=ids.ROOM_CALENDAR,
            value=ids.room_value(room.number),
            label=label,
            url=url,
        )
    ]


def join_note(room: RoomDetails, now: datetime, links: JoinLinks = NO_JOIN) -> str | None:
    """What stands in for Join outside the room's window, where there is a Join to offer."""
    if links.url_for(room) is None:
        return None
    status = status_of(room, now)
    if status is Status.UPCOMING:
        return f"Join opens {slack_date(room.valid_from)}."
    if status is Status.ENDED:
        return "This room has ended: its call can no longer be joined."
    return None


def join_buttons(room: RoomDetails, now: datetime, links: JoinLinks) -> list[Json]:
    """The Join button while the room is open and there is somewhere to send it; else none."""
    url = links.url_for(room)
    if url is None or status_of(room, now) is not Status.OPEN:
        return []
    return [
        button(
            "Join",
            action_id=ids.ROOM_JOIN,
            value=ids.room_value(room.number),
            label=f"Join the call of room #{room.number}",
            style="primary",
            url=url,
        )
    ]


def _manage_buttons(room: RoomDetails) -> list[Json]:
    value, n = ids.room_value(room.number), room.number
    return [
        button("Edit", action_id=ids.ROOM_EDIT_OPEN, value=value, label=f"Edit room #{n}"),
        button("Invite", action_id=ids.ROOM_INVITE_OPEN, value=value, label=f"Invite to room #{n}"),
    ]


_EXTEND_LABELS: Final = {
    "1h": ("+1 h", "1 hour"),
    "1d": ("+1 d", "1 day"),
    "7d": ("+7 d", "7 days"),
}


def _extend_buttons(room: RoomDetails) -> list[Json]:
    return [
        button(
            f"Extend {short}",
            action_id=ids.extend_action_id(key),
            value=ids.extend_value(room.number, key, room.valid_until),
            label=f"Extend room #{room.number} by {spoken}",
        )
        for key, (short, spoken) in _EXTEND_LABELS.items()
    ]


def _delete_button(room: RoomDetails) -> Json:
    dialog = confirm_dialog(
        title=f"Delete room #{room.number}?",
        text=f"“{title_text(room, 200)}” will be deleted for everyone. This cannot be undone.",
        confirm=f"Delete #{room.number}",
        deny="Keep it",
    )
    return button(
        "Delete",
        action_id=ids.ROOM_DELETE,
        value=ids.room_value(room.number),
        label=f"Delete room #{room.number}",
        style="danger",
        confirm=dialog,
    )
