"""Changes to one room take turns: one after another across threads, processes and instances.

A change takes the room's turn (`storage.room_turns`) in the transaction that reads the room for
it and gives it back in the transaction that stores it, so sixty concurrent "extend by 1 h"
make the room sixty hours longer, each confirmation stating the end it produced, at no more
transactions than a change took before turns.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.services.clock import Clock, utc_now
from bot.services.errors import RoomBusy, StoreUnavailable
from bot.services.uow import unit_of_work
from storage.room_turns import end_turn, take_turn

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy import Engine
    from sqlmodel import Session

    from bot.services.domain import RoomDetails, RoomKey, Workspace

log = logging.getLogger(__name__)

# Longer than any change takes (ACS calls retry within 10 s each): a turn that runs out was
# held by a process that died.
TURN = timedelta(seconds=60)
# How long a change waits for its turn before telling the person the room is busy.
WAIT = timedelta(seconds=60)
# Waiting polls, backing off: many changes queued on one room must not flood the database.
FIRST_POLL_SECONDS, LAST_POLL_SECONDS = 0.01, 0.2

Load = Callable[["Session"], "RoomDetails"]  # reads the room (RoomNotFound when there is none)


@dataclass
class Turn:
    room_id: int
    owner: str
    given_back: bool = False

    def give_back_within(self, session: Session) -> None:
        """In the change's store transaction (call `given()` once it committed)."""
        end_turn(session, room_id=self.room_id, owner=self.owner)


# Turns this process could not give back (the database was down): given back before this
# process next takes a turn, so a blip does not hold a room for the whole TURN.
_unreleased: list[Turn] = []
_unreleased_lock = threading.Lock()


class RoomTurns:
    def __init__(self, *, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine, self._clock = engine, clock

    @contextmanager
    def turn(
        self, workspace: Workspace, key: RoomKey, load: Load
    ) -> Iterator[tuple[RoomDetails, Turn]]:
        """The room `key` names, read once this holds its turn; the turn is given back at the
        end unless the change gave it back with its store write."""
        owner = uuid.uuid4().hex
        self._give_back_unreleased()
        room_id = None if key.number is not None else self._room_id(load)
        deadline, pause = time.monotonic() + WAIT.total_seconds(), FIRST_POLL_SECONDS
        while (taken := self._take(workspace, key, room_id, owner, load)) is None:
            if time.monotonic() >= deadline:
                raise RoomBusy("That room is busy with other changes. Try again in a minute.")
            time.sleep(pause)
            pause = min(pause * 2, LAST_POLL_SECONDS)
        room, turn = taken
        try:
            yield room, turn
        finally:
            if not turn.given_back:
                self._give_back(turn)

    def _give_back(self, turn: Turn) -> None:
        try:
            with unit_of_work(self._engine) as session:
                end_turn(session, room_id=turn.room_id, owner=turn.owner)
        except StoreUnavailable:  # given back later; the change's own error stands
            log.warning("could not give back the turn on room %s yet", turn.room_id)
            with _unreleased_lock:
                _unreleased.append(turn)

    def _give_back_unreleased(self) -> None:
        with _unreleased_lock:
            waiting = list(_unreleased)
        for turn in waiting:
            try:
                with unit_of_work(self._engine) as session:
                    end_turn(session, room_id=turn.room_id, owner=turn.owner)
            except StoreUnavailable:
                return  # still down: they wait (or run out)
            with _unreleased_lock:
                _unreleased.remove(turn)

    def _take(
        self, workspace: Workspace, key: RoomKey, room_id: int | None, owner: str, load: Load
    ) -> tuple[RoomDetails, Turn] | None:
        now = self._clock()
        with unit_of_work(self._engine) as session:
            taken = take_turn(
                session,
                enterprise_id=workspace.enterprise_id,
                team_id=workspace.team_id,
                owner=owner,
                now=now,
                until=now + TURN,
                room_id=room_id,
                number=key.number,
            )
            room = load(session)  # after the turn: fresh; without it: RoomNotFound if none
        return None if taken is None else (room, Turn(taken, owner))

    def _room_id(self, load: Load) -> int:
        with unit_of_work(self._engine) as session:
            room = load(session)
        assert room.store_id is not None  # rooms read from the store always have one
        return room.store_id
