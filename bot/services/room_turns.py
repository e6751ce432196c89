"""Changes to one room take turns: one after another across threads, processes and instances.

Each change takes the room's turn (`storage.room_turns`) before it reads the room and gives it
back after its store write, so sixty concurrent "extend by 1 h" make the room sixty hours
longer, and each confirmation states the end it produced.
"""

from __future__ import annotations

import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.services.clock import Clock, utc_now
from bot.services.errors import RoomBusy
from bot.services.uow import unit_of_work
from storage.room_turns import end_turn, take_turn

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy import Engine

# Longer than any change takes (ACS calls retry within 10 s each): a turn that runs out was
# held by a process that died.
TURN = timedelta(seconds=60)
# How long a change waits for its turn before telling the person the room is busy.
WAIT = timedelta(seconds=60)
# Waiting polls, backing off: many changes queued on one room must not flood the database.
FIRST_POLL_SECONDS, LAST_POLL_SECONDS = 0.01, 0.2


class RoomTurns:
    def __init__(self, *, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine, self._clock = engine, clock

    @contextmanager
    def turn(self, room_id: int, number: int) -> Iterator[None]:
        """Hold room `room_id`'s turn for the block; RoomBusy after waiting WAIT for it."""
        owner = uuid.uuid4().hex
        deadline, pause = time.monotonic() + WAIT.total_seconds(), FIRST_POLL_SECONDS
        while not self._take(room_id, owner):
            if time.monotonic() >= deadline:
                raise RoomBusy(f"Room #{number} is busy with other changes. Try again in a minute.")
            time.sleep(pause)
            pause = min(pause * 2, LAST_POLL_SECONDS)
        try:
            yield
        finally:
            with unit_of_work(self._engine) as session:
                end_turn(session, room_id=room_id, owner=owner)

    def _take(self, room_id: int, owner: str) -> bool:
        now = self._clock()
        with unit_of_work(self._engine) as session:
            return take_turn(session, room_id=room_id, owner=owner, now=now, until=now + TURN)
