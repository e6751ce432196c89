"""When Slack says no: wait as a 429 asks, retry 5xx with backoff and then give up, and
reach the organizer by DM when the room's channel is out of reach."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.background.reminder_loop import ReminderLoop
from slack_standin import RunningStandin
from tests.bot.reminders.support import ANA, WS, Rooms, posts
from tests.support.clock import ManualClock

DAY = timedelta(days=1)


@pytest.fixture
def due(rooms: Rooms, clock: ManualClock) -> Rooms:
    """A room whose 1-day reminder is due now."""
    room = rooms.open(2 * DAY)
    clock.set(room.valid_until - DAY)
    return rooms


def first_reminder(rooms: Rooms) -> tuple[str, int, str | None]:
    room = rooms.services.rooms.list_rooms(WS, involving=None)[0]
    row = rooms.reminders(room)[0]
    return row.state, row.attempts, row.last_error


def test_a_rate_limited_reminder_waits_as_long_as_slack_asks(
    due: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    standin.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=30)
    assert worker.run_once() == 1
    clock.advance(seconds=29)
    assert worker.run_once() == 0
    clock.advance(seconds=1)
    assert worker.run_once() == 1
    assert len(posts(standin.calls())) == 2  # the card and, at last, the reminder
    assert first_reminder(due)[:2] == ("sent", 0)  # Slack pacing us is not a failed attempt


def test_a_rate_limit_holds_back_the_rest_of_the_batch_as_well(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    first, second = rooms.open(2 * DAY), rooms.open(2 * DAY)
    clock.set(second.valid_until - DAY)
    standin.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=30)
    assert worker.run_once() == 2
    assert len(posts(standin.calls(), ok=False)) == 1  # the second was not even tried
    clock.advance(seconds=29)
    assert worker.run_once() == 0
    clock.advance(seconds=1)
    assert worker.run_once() == 2
    threads = {p["thread_ts"] for p in posts(standin.calls())[2:]}
    assert threads == {first.card_ts, second.card_ts}


def test_a_server_error_is_retried_after_a_backoff_and_then_succeeds(
    due: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    standin.fail_next("chat.postMessage", "internal_error", status=500)
    worker.run_once()
    assert first_reminder(due) == ("pending", 1, "internal_error")
    clock.advance(seconds=29)
    assert worker.run_once() == 0
    clock.advance(seconds=1)
    assert worker.run_once() == 1
    assert first_reminder(due)[:2] == ("sent", 1)


def test_repeated_server_errors_back_off_longer_each_time_then_give_up(
    due: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    standin.fail_next("chat.postMessage", "internal_error", status=503, times=5)
    waits = []
    for _ in range(5):
        before = clock()
        while worker.run_once() == 0:
            clock.advance(seconds=1)
        waits.append(clock() - before)
    assert waits[1:] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert first_reminder(due) == ("failed", 4, "internal_error after 5 attempts")
    clock.advance(minutes=30)
    assert worker.run_once() == 0


def test_an_error_retrying_cannot_fix_fails_the_reminder_at_once(
    due: Rooms, worker: ReminderLoop, standin: RunningStandin
) -> None:
    standin.fail_next("chat.postMessage", "invalid_blocks")
    worker.run_once()
    assert first_reminder(due) == ("failed", 0, "invalid_blocks")


def test_a_private_channel_without_the_bot_falls_back_to_a_dm_to_the_organizer(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(2 * DAY, channel="C0LEADS")  # private; RoomBot is not in it
    assert room.card_ts is None
    clock.set(room.valid_until - DAY)
    worker.run_once()
    refused, dm = standin.calls("chat.postMessage")[-2:]
    assert (refused.args["channel"], refused.error) == ("C0LEADS", "not_in_channel")
    assert (dm.args["channel"], dm.ok) == (ANA, True)
    assert "expires in 1 day" in dm.args["text"]
    assert rooms.reminders(room)[0].delivered_to == dm.response["channel"]


@pytest.mark.parametrize("error", ["channel_not_found", "is_archived"])
def test_a_channel_gone_or_archived_falls_back_to_a_dm(
    due: Rooms, worker: ReminderLoop, standin: RunningStandin, error: str
) -> None:
    standin.fail_next("chat.postMessage", error)
    worker.run_once()
    dm = standin.calls("chat.postMessage")[-1]
    assert (dm.args["channel"], dm.ok) == (ANA, True)
    assert first_reminder(due)[0] == "sent"


def test_an_expired_room_whose_card_is_out_of_reach_is_told_to_the_organizer(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(timedelta(minutes=30))
    standin.workspace.channel("general").is_archived = True
    clock.set(room.valid_until)
    worker.run_once()
    dm = standin.calls("chat.postMessage")[-1]
    assert (dm.args["channel"], dm.ok) == (ANA, True)
    assert "has expired" in dm.args["text"]
    assert "room_extend_1h" in str(dm.args["blocks"])
