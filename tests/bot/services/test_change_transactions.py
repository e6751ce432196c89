"""A change is stored in one transaction with what its attempt's writers keep (its audit
record, its reminders), after the one that loaded the room; all of it, or none of it, with
ACS put back when that transaction fails."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from acs_emulator import RunningEmulator
from bot.services.access import Actor
from bot.services.attempts import Attempt, Committed
from bot.services.container import Services
from bot.services.domain import Role, RoomDetails, RoomKey, Workspace
from bot.services.errors import StoreUnavailable
from bot.services.new_room import NewRoom
from storage import audit, reminders
from storage.errors import StorageUnavailable

WS = Workspace("", "T1")
KEY = RoomKey(number=1)
ORGANIZER = Actor("U1")

AUDIT = "INSERT INTO audit_event"
PLANNED = "INSERT INTO reminder"


@contextmanager
def transactions(engine: Engine) -> Iterator[list[list[str]]]:
    """The transactions committed in the block, each as its statements' first three words."""
    done: list[list[str]] = []
    current: list[str] = []

    def statement(*args: Any) -> None:
        current.append(" ".join(str(args[2]).split()[:3]))

    def commit(_connection: Any) -> None:
        done.append(list(current))
        current.clear()

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield done
    finally:  # the engine may be shared
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


def create(services: Services) -> RoomDetails:
    now = services.clock()
    return services.rooms.create(
        NewRoom(
            workspace=WS,
            organizer_id="U1",
            title="Sync",
            valid_from=now,
            valid_until=now + timedelta(days=2),
            members={"U2": Role.ATTENDEE},
            pstn_dial_out_enabled=False,
            channel_id="C1",
            creation_key=uuid.uuid4().hex,
        )
    ).room


CHANGES: dict[str, Callable[[Services], object]] = {
    "extend": lambda s: s.changes.extend(WS, KEY, ORGANIZER, timedelta(hours=1)),
    "pstn": lambda s: s.changes.set_pstn(WS, KEY, ORGANIZER, enabled=True),
    "invite": lambda s: s.changes.add_members(WS, KEY, ORGANIZER, {"U2": Role.PRESENTER}),
    "remove": lambda s: s.changes.remove_members(WS, KEY, ORGANIZER, ["U2"]),
    "delete": lambda s: s.changes.delete(WS, KEY, ORGANIZER),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_is_its_lookup_and_one_transaction_with_its_audit_record(
    services: Services, engine: Engine, change: str
) -> None:
    create(services)
    with transactions(engine) as done:
        CHANGES[change](services)
    assert len(done) == 2, done
    lookup, stored = done
    # The change takes the room's turn as it reads the room, and gives it back as it stores.
    assert lookup[0].startswith("UPDATE room SET")
    assert all(s.startswith("SELECT") for s in lookup[1:])
    assert stored.count(AUDIT) == 1


@pytest.mark.parametrize("change", ["extend", "delete"])
def test_reminders_are_replanned_in_the_transaction_of_the_change(
    services: Services, engine: Engine, change: str
) -> None:
    create(services)
    with transactions(engine) as done:
        CHANGES[change](services)
    assert "UPDATE reminder SET" in done[-1]  # the old window's reminders cancelled
    assert (PLANNED in done[-1]) is (change == "extend")


def test_a_change_writes_its_room_without_reading_it_first_or_after(
    services: Services, engine: Engine
) -> None:
    create(services)
    with transactions(engine) as done:
        services.changes.extend(WS, KEY, ORGANIZER, timedelta(hours=1))
    # the UPDATE returns the room as written; only its roster and latest call are read, for
    # the room after (its card keeps a live call's line); the turn is given back with the write
    assert done[-1] == [
        "UPDATE room SET",
        "SELECT room_member.id, room_member.room_id,",
        "SELECT room_call.id, room_call.enterprise_id,",
        "UPDATE room SET",
        "UPDATE reminder SET",
        PLANNED,
        AUDIT,
    ]


def test_a_created_room_is_stored_with_its_audit_record_and_reminders(
    services: Services, engine: Engine
) -> None:
    with transactions(engine) as done:
        create(services)
    [recorded] = [t for t in done if "INSERT INTO room_member" in t]
    assert recorded.count(AUDIT) == 1
    assert PLANNED in recorded
    assert "UPDATE reminder SET" not in recorded  # a new room has no reminders to cancel


class Broken:
    """A writer whose rows cannot be written: the store went away mid-transaction."""

    def observe(self, attempt: Attempt) -> None:
        raise StorageUnavailable("the database is unavailable: gone")

    def write(self, session: Session, attempt: Attempt) -> Committed:
        raise StorageUnavailable("the database is unavailable: gone")


def test_a_change_whose_audit_record_cannot_be_written_is_not_stored_and_acs_is_put_back(
    services: Services, engine: Engine, emulator: RunningEmulator
) -> None:
    room = create(services)
    services.changes.attempts.writers.append(Broken())
    with pytest.raises(StoreUnavailable):
        services.changes.extend(WS, KEY, ORGANIZER, timedelta(hours=1))
    assert services.rooms.get(WS, KEY).valid_until == room.valid_until
    assert emulator.snapshot()[room.acs_room_id].valid_until == room.valid_until
    with Session(engine) as session:
        events = audit.list_events(session, enterprise_id="", team_id="T1", limit=100)
        planned = reminders.list_reminders(session, room_id=room.store_id or 0)
    newest = events[0]
    assert (newest.action, newest.outcome) == ("room.extended", "failed")
    assert [r.due_at for r in planned if r.state == "pending"][-1] == room.valid_until


def test_a_creation_whose_audit_record_cannot_be_written_leaves_no_acs_room(
    services: Services, emulator: RunningEmulator
) -> None:
    acs_rooms = set(emulator.snapshot())
    services.rooms.attempts.writers.append(Broken())
    with pytest.raises(StoreUnavailable):
        create(services)
    assert set(emulator.snapshot()) == acs_rooms
