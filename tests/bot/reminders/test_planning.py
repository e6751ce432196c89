"""Reminders follow their room: planned at creation, replaced on extend and reschedule,
cancelled on delete, and never planned for a moment already past."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services.access import Actor
from bot.services.domain import RoomKey
from bot.services.errors import AccessDenied
from tests.bot.reminders.support import ANA, BEN, WS, Rooms
from tests.support.clock import ManualClock

DAY, HOUR = timedelta(days=1), timedelta(hours=1)


def test_a_room_gets_a_reminder_at_each_lead_time_and_a_notice_at_expiry(rooms: Rooms) -> None:
    room = rooms.open(3 * DAY)
    end = room.valid_until
    assert rooms.pending(room) == [
        ("expiring", end - DAY),
        ("expiring", end - HOUR),
        ("expired", end),
    ]


def test_a_lead_already_past_at_creation_is_skipped(rooms: Rooms) -> None:
    room = rooms.open(timedelta(minutes=30))
    assert rooms.pending(room) == [("expired", room.valid_until)]


def test_a_room_that_opens_later_also_gets_an_open_notice(rooms: Rooms) -> None:
    room = rooms.open(2 * DAY, starts_in=3 * HOUR)
    assert ("open", room.valid_from) in rooms.pending(room)


def test_a_room_open_from_its_creation_gets_no_open_notice(rooms: Rooms) -> None:
    room = rooms.open(2 * DAY)
    assert [kind for kind, _ in rooms.pending(room)].count("open") == 0


def test_no_expiry_reminder_falls_before_the_room_opens(rooms: Rooms) -> None:
    room = rooms.open(HOUR, starts_in=2 * DAY)
    assert rooms.pending(room) == [("open", room.valid_from), ("expired", room.valid_until)]


def test_extending_a_room_replaces_its_pending_reminders(rooms: Rooms) -> None:
    room = rooms.open(2 * DAY)
    rooms.services.changes.extend(WS, RoomKey(number=room.number), Actor(ANA), DAY)
    end = room.valid_until + DAY
    assert rooms.pending(room) == [
        ("expiring", end - DAY),
        ("expiring", end - HOUR),
        ("expired", end),
    ]
    cancelled = [r.due_at for r in rooms.reminders(room) if r.state == "cancelled"]
    assert cancelled == [room.valid_until - DAY, room.valid_until - HOUR, room.valid_until]


def test_rescheduling_a_room_replaces_its_pending_reminders(
    rooms: Rooms, clock: ManualClock
) -> None:
    room = rooms.open(2 * DAY)
    start = clock() + 5 * HOUR
    key = RoomKey(number=room.number)
    rooms.services.changes.reschedule(WS, key, Actor(ANA), start, start + 30 * HOUR)
    end = start + 30 * HOUR
    assert rooms.pending(room) == [
        ("open", start),
        ("expiring", end - DAY),
        ("expiring", end - HOUR),
        ("expired", end),
    ]


def test_extending_back_to_the_old_end_brings_its_reminders_back(
    rooms: Rooms, clock: ManualClock
) -> None:
    room = rooms.open(2 * DAY)
    key = RoomKey(number=room.number)
    rooms.services.changes.reschedule(WS, key, Actor(ANA), room.valid_from, room.valid_until - DAY)
    rooms.services.changes.extend(WS, key, Actor(ANA), DAY)
    assert [due for _, due in rooms.pending(room)] == [
        room.valid_until - DAY,
        room.valid_until - HOUR,
        room.valid_until,
    ]


def test_deleting_a_room_cancels_its_pending_reminders(rooms: Rooms) -> None:
    room = rooms.open(2 * DAY)
    rooms.services.changes.delete(WS, RoomKey(number=room.number), Actor(ANA))
    assert rooms.pending(room) == []
    assert {r.state for r in rooms.reminders(room)} == {"cancelled"}


def test_a_refused_change_leaves_the_reminders_as_they_were(rooms: Rooms) -> None:
    room = rooms.open(2 * DAY)
    before = rooms.pending(room)
    with pytest.raises(AccessDenied):
        rooms.services.changes.extend(WS, RoomKey(number=room.number), Actor(BEN), DAY)
    assert rooms.pending(room) == before
