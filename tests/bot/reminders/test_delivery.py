"""The worker posts each due reminder once, in the card's thread and the channel, checks the
room first, and says so when it is late."""

from __future__ import annotations

import json
from datetime import timedelta

from slack_sdk import WebClient

from bot.background.reminder_loop import ReminderLoop
from bot.blocks.text import slack_date
from bot.services.access import Actor
from bot.services.attempts import Action, Attempt, Outcome
from bot.services.container import Services
from bot.services.domain import RoomKey, RoomState
from bot.services.join_links import JoinLinks
from bot.services.reminders.rules import Skip
from slack_standin import RunningStandin
from storage import rooms as room_repo
from storage.session import session_scope
from tests.bot.reminders.support import (
    ANA,
    GENERAL,
    WS,
    Rooms,
    all_text,
    button_values,
    posts,
)
from tests.support.clock import ManualClock

DAY, HOUR = timedelta(days=1), timedelta(hours=1)


def test_a_due_reminder_is_posted_in_the_card_thread_and_shown_in_the_channel(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(2 * DAY)
    clock.set(room.valid_until - DAY)
    assert worker.run_once() == 1
    (posted,) = posts(standin.calls())[1:]  # after the card itself
    assert (posted["channel"], posted["thread_ts"]) == (GENERAL, room.card_ts)
    assert posted["reply_broadcast"] in (True, "true", "1")
    assert f"Room #{room.number} *Design review* expires in 1 day" in posted["text"]
    assert slack_date(room.valid_until) in posted["text"]


def test_a_reminder_says_who_can_extend_and_carries_the_cards_extend_buttons(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(2 * DAY)
    clock.set(room.valid_until - HOUR)
    worker.run_once()
    posted = posts(standin.calls())[-1]
    assert f"<@{ANA}> (the organizer) or a RoomBot admin can extend it" in all_text(
        posted["blocks"]
    )
    n, shown = room.number, int(room.valid_until.timestamp())  # acts on the end it showed
    assert button_values(posted) == [
        ("room_extend_1h", f"{n}:1h:{shown}"),
        ("room_extend_1d", f"{n}:1d:{shown}"),
        ("room_extend_7d", f"{n}:7d:{shown}"),
    ]


def test_nothing_is_posted_before_a_reminder_is_due(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock
) -> None:
    room = rooms.open(2 * DAY)
    clock.set(room.valid_until - DAY - timedelta(seconds=1))
    assert worker.run_once() == 0


def test_a_reminder_is_posted_once_however_often_the_worker_polls(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(2 * DAY)
    clock.set(room.valid_until - DAY)
    assert [worker.run_once() for _ in range(3)] == [1, 0, 0]
    assert len(posts(standin.calls())) == 2  # the card and one reminder
    (sent,) = [r for r in rooms.reminders(room) if r.state == "sent"]
    assert (sent.sent_at, sent.delivered_to) == (clock(), GENERAL)


def test_a_reminder_due_while_every_worker_was_down_says_it_is_late(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(2 * DAY)
    clock.set(room.valid_until - timedelta(minutes=40))
    worker.run_once()
    text = posts(standin.calls())[-1]["text"]
    assert "expires in 40 minutes" in text
    assert "This reminder is late." in text


def test_after_a_long_outage_only_the_latest_notice_is_posted_worded_as_late(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(2 * DAY)
    clock.set(room.valid_until + 2 * HOUR)
    assert worker.run_once() == 3
    (note,) = posts(standin.calls())[1:]
    assert f"Room #{room.number} *Design review* expired 2 hours ago" in note["text"]
    assert sorted(r.state for r in rooms.reminders(room)) == ["cancelled", "cancelled", "sent"]


def test_a_room_that_opens_later_gets_an_open_notice_when_it_opens(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(2 * DAY, starts_in=3 * HOUR)
    clock.set(room.valid_from)
    assert worker.run_once() == 1
    posted = posts(standin.calls())[-1]
    assert f"Room #{room.number} *Design review* is open now" in posted["text"]
    assert posted["thread_ts"] == room.card_ts


def test_when_a_room_opens_its_card_gains_join_and_the_open_notice_carries_it(
    rooms: Rooms, services: Services, client: WebClient, clock: ManualClock, standin: RunningStandin
) -> None:
    services.join_links = JoinLinks(public_url="https://roombot.example.com")
    worker = ReminderLoop(services, lambda _ws: client, clock=clock, poll_seconds=1, owner_id="w")
    room = rooms.open(2 * DAY, starts_in=3 * HOUR)
    clock.set(room.valid_from)
    assert worker.run_once() == 1
    update = standin.wait_for("chat.update").args
    assert (update["channel"], update["ts"]) == (GENERAL, room.card_ts)
    join = f"https://roombot.example.com/r/{rooms.get(room).join_key}"
    assert join in json.dumps(update["blocks"])
    assert join in json.dumps(posts(standin.calls())[-1]["blocks"])


def test_at_expiry_the_card_turns_expired_and_a_note_goes_in_the_thread(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(30 * 60 * timedelta(seconds=1))
    clock.set(room.valid_until)
    assert worker.run_once() == 1
    update = standin.wait_for("chat.update").args
    assert (update["channel"], update["ts"]) == (GENERAL, room.card_ts)
    assert "*Status*\nEnded" in all_text(update["blocks"])
    labels = [value.split(":")[1 if ":" in value else 0] for _, value in button_values(update)]
    assert labels == ["1h", "1d", "7d", str(room.number)]  # Extend to reopen, and Delete
    note = posts(standin.calls())[-1]
    assert note["thread_ts"] == room.card_ts
    assert "reply_broadcast" not in note
    assert "has expired" in note["text"]


def test_a_reminder_for_a_window_that_moved_meanwhile_is_not_posted(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(2 * DAY)
    with session_scope(rooms.engine) as session:  # another instance's change, not yet replanned
        row = room_repo.find_room_by_number(session, enterprise_id="", team_id="T0DEMO", number=1)
        assert row is not None
        assert row.id is not None
        room_repo.update_room(
            session, room_id=row.id, now=clock(), valid_until=row.valid_until + DAY
        )
    clock.set(room.valid_until - DAY)
    assert worker.run_once() == 1
    assert len(posts(standin.calls())) == 1  # only the card
    assert rooms.reminders(room)[0].last_error == "the room's window changed"


def test_a_room_gone_from_acs_is_marked_deleted_and_its_card_updated_instead_of_reminded(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    room = rooms.open(2 * DAY)
    rooms.delete_in_acs(room)
    clock.set(room.valid_until - DAY)
    worker.run_once()
    assert rooms.get(room).state is RoomState.DELETED
    update = standin.wait_for("chat.update").args
    assert "*Status*\nDeleted" in all_text(update["blocks"])
    (note,) = posts(standin.calls())[1:]
    assert "no longer exists in Azure Communication Services" in note["text"]
    assert {r.state for r in rooms.reminders(room)} == {"cancelled"}


def test_reminders_of_different_rooms_due_together_are_each_posted(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> None:
    first, second = rooms.open(2 * DAY), rooms.open(2 * DAY)
    clock.set(second.valid_until - DAY)
    assert worker.run_once() == 2
    threads = sorted(p["thread_ts"] for p in posts(standin.calls())[2:])
    assert threads == sorted([first.card_ts, second.card_ts])


def test_a_batch_judged_a_while_ago_is_judged_again_right_before_posting(
    rooms: Rooms, clock: ManualClock
) -> None:
    room = rooms.open(2 * DAY)
    clock.set(room.valid_until - DAY)
    service = rooms.services.reminders
    assert service is not None
    (claimed,) = service.claim(owner="slow-worker", lease=timedelta(minutes=1), limit=5)
    rooms.services.changes.extend(WS, RoomKey(number=room.number), Actor(ANA), HOUR)
    clock.advance(seconds=6)  # a slow batch: Slack took its time with the ones before
    step = service.prepare(claimed)
    assert step == Skip("the room's window changed")


def test_a_posted_reminder_is_told_for_the_audit_trail_as_roombots_own_doing(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, services: Services
) -> None:
    told: list[Attempt] = []
    services.changes.attempts.observers.append(told.append)
    room = rooms.open(2 * DAY)
    clock.set(room.valid_until - DAY)
    worker.run_once()
    sent = [a for a in told if a.action == Action.REMINDER_SENT]
    assert len(sent) == 1
    assert (sent[0].actor_id, sent[0].room_number, sent[0].outcome) == (
        None,
        room.number,
        Outcome.OK,
    )
