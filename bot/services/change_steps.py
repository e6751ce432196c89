"""The steps every room change takes (bot/services/room_changes.py): it waits for its turn on
the room and reads the room fresh, then, after its ACS call, writes the store in one transaction
with its audit record, its reminders and the count of the job that made it.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Protocol

from bot.services.calls.status import call_of
from bot.services.details import to_details
from bot.services.errors import RoomNotFound
from bot.services.job_steps import Step, count_within, next_step
from bot.services.records import load_details, require_live
from bot.services.room_turns import RoomTurns, Turn
from bot.services.uow import unit_of_work
from storage import rooms as repo

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy import Engine
    from sqlmodel import Session

    from bot.services.attempts import Committed, Context
    from bot.services.clock import Clock
    from bot.services.domain import RoomDetails, RoomKey, Workspace
    from storage.models import RoomRow


class Write(Protocol):
    """A change's store write (a storage.rooms write with its values given): the room as
    written, or None when the write leaves the room's own row as it was (a roster change)."""

    def __call__(self, session: Session, *, room_id: int) -> RoomRow | None: ...


# The turn the change on this thread holds, given back by its store write.
_held_turn: ContextVar[Turn | None] = ContextVar("held_turn", default=None)


class ChangeSteps:
    """What RoomChanges' changes are made of (a mixin beside RoomUseCases, which gives it the
    store, the clock and `_told_within`)."""

    _engine: Engine
    _clock: Clock

    if TYPE_CHECKING:

        def _told_within(
            self, session: Session, attempt: Context, before: RoomDetails | None, after: RoomDetails
        ) -> Committed: ...

    @property
    def _turns(self) -> RoomTurns:
        return RoomTurns(engine=self._engine, clock=self._clock)

    def _live_room(self, workspace: Workspace, key: RoomKey) -> RoomDetails:
        with unit_of_work(self._engine) as session:
            room = load_details(session, workspace, key)
        require_live(room)
        return room

    @contextmanager
    def _changing(
        self, workspace: Workspace, key: RoomKey
    ) -> Iterator[tuple[RoomDetails, Step | None]]:
        """The room, read once this change holds its turn (changes to one room apply one after
        another; the store write gives the turn back), and the change's step when a job makes
        it. A live room, unless an earlier run stored the step (a deletion, say)."""
        step = next_step()

        def load(session: Session) -> RoomDetails:
            return load_details(session, workspace, key)

        with self._turns.turn(workspace, key, load) as (room, turn):
            if step is None or not step.applied:
                require_live(room)
            held = _held_turn.set(turn)
            try:
                yield room, step
            finally:
                _held_turn.reset(held)

    def _room(self, workspace: Workspace, key: RoomKey) -> RoomDetails:
        with unit_of_work(self._engine) as session:
            return load_details(session, workspace, key)

    def _store(
        self, attempt: Context | None, room: RoomDetails, write: Write, step: Step | None
    ) -> RoomDetails:
        """One transaction: `write`, the room as written, the job's count of its changes, and
        the attempt's success with what its writers keep (audit record, reminders); its
        observers hear it once committed."""
        assert room.store_id is not None  # rooms read from the store always have one
        with unit_of_work(self._engine) as session:
            row = write(session, room_id=room.store_id) or _row(session, room, room.store_id)
            members = repo.list_members(session, room_id=room.store_id)
            after = to_details(room.workspace, row, members, call_of(session, room.store_id))
            count_within(session, step)
            turn = _held_turn.get()
            if turn is not None and turn.room_id == room.store_id:
                turn.give_back_within(session)
            committed = attempt and self._told_within(session, attempt, room, after)
        if turn is not None and turn.room_id == room.store_id:
            turn.given_back = True
        if committed:
            committed()
        return after


def _row(session: Session, room: RoomDetails, room_id: int) -> RoomRow:
    """The room's row, read in the transaction that changed its roster."""
    ws = room.workspace
    row = repo.get_room(
        session, enterprise_id=ws.enterprise_id, team_id=ws.team_id, room_id=room_id
    )
    if row is None:  # rooms are marked deleted, never removed; one gone is a bad store id
        raise RoomNotFound(f"I can't find room #{room.number} in this workspace.")
    return row
