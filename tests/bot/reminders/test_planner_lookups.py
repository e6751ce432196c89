"""The planner writes a changed room's reminders beside the change without looking the room up
again when the change read it from the store, and still finds a room handed to it without."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import Engine

from bot.services.access import Actor
from bot.services.attempts import Action, Context, Outcome
from bot.services.domain import RoomKey
from bot.services.reminders.planner import ReminderPlanner
from tests.bot.reminders.support import ANA, WS, Rooms
from tests.support.sql import room_selects

DAY, HOUR = timedelta(days=1), timedelta(hours=1)


def test_a_room_read_from_the_store_is_planned_without_a_lookup(
    rooms: Rooms, engine: Engine
) -> None:
    room = rooms.open(2 * DAY)
    assert room.store_id is not None
    planner = ReminderPlanner(engine=engine, leads=(HOUR,))
    done = Context(Action.ROOM_EXTENDED, WS, ANA).ended(Outcome.OK, rooms.services.clock())
    with room_selects(engine) as lookups:
        planner.observe(dataclasses.replace(done, after=room))
    assert lookups == []
    assert [kind for kind, _ in rooms.pending(room)] == ["expiring", "expired"]


def test_a_room_without_its_store_id_is_still_found_and_planned(
    rooms: Rooms, engine: Engine
) -> None:
    room = dataclasses.replace(rooms.open(2 * DAY), store_id=None)
    planner = ReminderPlanner(engine=engine, leads=(HOUR,))
    done = Context(Action.ROOM_EXTENDED, WS, ANA).ended(Outcome.OK, rooms.services.clock())
    with room_selects(engine) as lookups:
        planner.observe(dataclasses.replace(done, after=room))
    assert len(lookups) == 1
    assert [kind for kind, _ in rooms.pending(room)] == ["expiring", "expired"]


def test_an_extension_replans_the_room_it_changed(rooms: Rooms) -> None:
    room = rooms.open(2 * DAY)
    change = rooms.services.changes.extend(WS, RoomKey(number=room.number), Actor(ANA), DAY)
    assert change.after.store_id == room.store_id
    assert rooms.pending(room)[-1] == ("expired", room.valid_until + DAY)


def test_the_store_id_is_no_part_of_what_a_room_is(rooms: Rooms) -> None:
    room = rooms.open(2 * DAY)
    assert dataclasses.replace(room, store_id=None) == room
    assert "store_id" not in repr(room)
