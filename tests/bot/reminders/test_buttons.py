"""A reminder's Extend buttons are the card's: the app's own listener handles a click on
them, with the same access rules, and the room's reminders follow the new end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from pydantic import SecretStr
from slack_sdk import WebClient

from bot.app import console_session
from bot.background.reminder_loop import ReminderLoop, start_reminder_loop
from bot.config import Settings
from bot.console.session import ConsoleSession
from bot.console.surfaces import find_surface
from bot.services.container import Services
from bot.services.domain import RoomDetails
from slack_standin import RunningStandin
from tests.bot.reminders.support import ANA, BEN, GENERAL, Rooms
from tests.support.clock import ManualClock

DAY, HOUR = timedelta(days=1), timedelta(hours=1)


@pytest.fixture
def session(services: Services, standin: RunningStandin) -> Iterator[ConsoleSession]:
    settings = Settings(_env_file=None, slack_signing_secret=SecretStr("test-secret"))  # type: ignore[call-arg]
    session = console_session(services, standin, settings, "ana", "general")
    yield session
    session.executor.shutdown(wait=True)


@pytest.fixture
def reminded(
    rooms: Rooms, worker: ReminderLoop, clock: ManualClock, standin: RunningStandin
) -> RoomDetails:
    """A room whose 1-hour reminder has just been posted."""
    room = rooms.open(2 * DAY)
    clock.set(room.valid_until - HOUR)
    worker.run_once()
    reminder = standin.calls("chat.postMessage")[-1]
    surface = find_surface(standin, ANA, GENERAL, "Extend +1 h", room.number)
    assert surface is not None
    assert surface.message_ts == reminder.response["ts"]  # the reminder's button, not the card's
    return room


def press(session: ConsoleSession, user: str, room: RoomDetails) -> None:
    session.user = user
    session.press(f"Extend +1 h #{room.number}")
    session.settle()


def test_the_organizer_extends_the_room_from_its_reminder(
    session: ConsoleSession, reminded: RoomDetails, rooms: Rooms
) -> None:
    press(session, ANA, reminded)
    assert rooms.get(reminded).valid_until == reminded.valid_until + HOUR
    assert rooms.pending(reminded) == [
        ("expiring", reminded.valid_until),  # the new 1-hour reminder
        ("expired", reminded.valid_until + HOUR),
    ]


def test_someone_else_is_refused_when_pressing_a_reminders_extend_button(
    session: ConsoleSession, reminded: RoomDetails, rooms: Rooms, standin: RunningStandin
) -> None:
    press(session, BEN, reminded)
    assert rooms.get(reminded).valid_until == reminded.valid_until
    assert "Only the organizer" in str(standin.ephemerals("ben")[-1]["text"])


def test_the_consoles_worker_posts_due_reminders_and_they_print_at_the_next_flush(
    session: ConsoleSession,
    rooms: Rooms,
    clock: ManualClock,
    standin: RunningStandin,
    capsys: pytest.CaptureFixture[str],
) -> None:
    room = rooms.open(2 * DAY)
    session.settle()
    capsys.readouterr()
    quick = Settings(_env_file=None, roombot_reminder_poll_seconds=0.05)  # type: ignore[call-arg]
    client = WebClient(token=standin.bot_token, base_url=standin.base_url)
    worker = start_reminder_loop(rooms.services, lambda _workspace: client, quick)
    clock.set(room.valid_until - DAY)
    standin.wait_for("chat.postMessage", lambda call: "expires in 1 day" in call.args["text"])
    worker.stop()
    session.settle()
    printed = capsys.readouterr().out
    assert "#general · RoomBot (in the card's thread)" in printed
    assert "expires in 1 day" in printed
