"""What reminders say: the room, when, who can extend it, and whether the notice is late.
Pure: messages built from a room and a moment, no Slack and no store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.blocks.reminder import expired_note, reminder_message, spoken
from bot.services.domain import RoomDetails, RoomState, Workspace
from bot.services.reminders.rules import Kind, Notice
from tests.bot.reminders.support import all_text

END = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
ROOM = RoomDetails(
    workspace=Workspace("", "T1"),
    number=7,
    title="Q4 <planning> & review",
    acs_room_id="99",
    organizer_id="U0ORGANIZ",
    channel_id="C1",
    card_ts="1.0",
    valid_from=END - timedelta(days=3),
    valid_until=END,
    pstn_dial_out_enabled=False,
    state=RoomState.ACTIVE,
    members=(),
)


def notice(kind: Kind, due: datetime, now: datetime) -> Notice:
    return Notice(kind, ROOM, due, now)


@pytest.mark.parametrize(
    ("span", "said"),
    [
        (timedelta(seconds=10), "1 minute"),
        (timedelta(minutes=35), "35 minutes"),
        (timedelta(minutes=60), "1 hour"),
        (timedelta(hours=2, minutes=10), "2 hours"),
        (timedelta(hours=23, minutes=59, seconds=40), "1 day"),
        (timedelta(days=3), "3 days"),
    ],
)
def test_a_span_is_said_in_its_largest_whole_unit(span: timedelta, said: str) -> None:
    assert spoken(span) == said


def test_an_on_time_reminder_names_the_room_escaped_and_does_not_apologise() -> None:
    text = reminder_message(
        notice(Kind.EXPIRING, END - timedelta(hours=1), END - timedelta(hours=1))
    )["text"]
    assert text.endswith(
        "Room #7 *Q4 &lt;planning&gt; &amp; review* expires in 1 hour, "
        "<!date^1795366800^{date_short_pretty} at {time}|2026-11-22 17:00 UTC>."
    )


def test_a_reminder_a_few_minutes_behind_still_reads_as_on_time() -> None:
    due = END - timedelta(hours=1)
    message = reminder_message(notice(Kind.EXPIRING, due, due + timedelta(minutes=4)))
    assert "late" not in message["text"]


def test_a_reminder_sent_after_the_room_expired_says_how_long_ago_and_that_it_is_late() -> None:
    message = reminder_message(
        notice(Kind.EXPIRING, END - timedelta(hours=1), END + timedelta(hours=2))
    )
    assert "expired 2 hours ago" in message["text"]
    assert "This reminder is late." in message["text"]


def test_a_late_open_notice_says_since_when_the_room_is_open() -> None:
    start = ROOM.valid_from
    text = all_text(
        reminder_message(notice(Kind.OPEN, start, start + timedelta(hours=3)))["blocks"]
    )
    assert "opened 3 hours ago" in text
    assert "This notice is late." in text


def test_the_expired_note_in_the_thread_points_at_the_cards_buttons() -> None:
    message = expired_note(notice(Kind.EXPIRED, END, END), with_buttons=False)
    assert "has expired" in message["text"]
    assert "Extend it from the card" in all_text(message["blocks"])
    assert [b["type"] for b in message["blocks"]] == ["section"]


def test_a_late_expired_note_says_how_long_ago_the_room_expired() -> None:
    message = expired_note(notice(Kind.EXPIRED, END, END + timedelta(hours=2)), with_buttons=True)
    assert "expired 2 hours ago" in message["text"]
    assert message["blocks"][-1]["type"] == "actions"
