"""Changes to one room take turns, across threads (and, through the database, processes and
instances); a turn whose holder died runs out; a change that waits too long is told why."""

from __future__ import annotations

import threading
import time
import uuid
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.services import room_turns
from bot.services.domain import RoomDetails, RoomKey, Workspace
from bot.services.errors import RoomBusy, RoomNotFound
from bot.services.records import load_details
from bot.services.room_turns import RoomTurns, Turn
from storage import reservations
from storage.room_turns import take_turn
from storage.session import session_scope

ACME = Workspace(enterprise_id="", team_id="T1")


def a_room(engine: Engine) -> int:
    """An active room's number."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        row, _ = reservations.reserve_room(
            session,
            enterprise_id=ACME.enterprise_id,
            team_id=ACME.team_id,
            creation_key=uuid.uuid4().hex,
            title="Standup",
            organizer_id="U1",
            channel_id="C1",
            valid_from=now,
            valid_until=now + timedelta(hours=1),
            pstn_dial_out_enabled=False,
            now=now,
        )
        assert row.id is not None
        reservations.activate_room(
            session,
            room_id=row.id,
            acs_room_id=f"acs-{row.number}",
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            pstn_dial_out_enabled=False,
            now=now,
        )
        return row.number


def loader(key: RoomKey) -> room_turns.Load:
    def load(session: Session) -> RoomDetails:
        return load_details(session, ACME, key)

    return load


def held(turns: RoomTurns, number: int) -> AbstractContextManager[tuple[RoomDetails, Turn]]:
    key = RoomKey(number=number)
    return turns.turn(ACME, key, loader(key))


def test_concurrent_changes_to_one_room_apply_one_after_another(engine: Engine) -> None:
    number, turns = a_room(engine), RoomTurns(engine=engine)
    hours = [0]
    inside, most_inside = [0], [0]
    lock = threading.Lock()

    def extend() -> None:
        with held(turns, number):
            with lock:
                inside[0] += 1
                most_inside[0] = max(most_inside[0], inside[0])
            seen = hours[0]  # read, wait (an ACS call), write: lost updates without turns
            time.sleep(0.01)
            hours[0] = seen + 1
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=extend) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (hours[0], most_inside[0]) == (20, 1)


def test_other_rooms_do_not_wait(engine: Engine) -> None:
    first, second, turns = a_room(engine), a_room(engine), RoomTurns(engine=engine)
    with held(turns, first):
        started = time.monotonic()
        with held(turns, second):
            assert time.monotonic() - started < 1


def test_a_turn_whose_holder_died_runs_out(engine: Engine) -> None:
    number = a_room(engine)
    now = datetime.now(UTC)
    with session_scope(engine) as session:  # held by a process that died a minute ago
        assert take_turn(
            session, enterprise_id="", team_id="T1", owner="dead", now=now, until=now, number=number
        )
    with held(RoomTurns(engine=engine), number) as (room, _turn):
        assert room.number == number


def test_a_change_that_waits_too_long_for_its_turn_is_told_the_room_is_busy(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(room_turns, "WAIT", timedelta(seconds=0.3))
    number, turns = a_room(engine), RoomTurns(engine=engine)
    with held(turns, number), pytest.raises(RoomBusy, match="busy"), held(turns, number):
        pass


def test_a_room_that_does_not_exist_is_not_waited_for(engine: Engine) -> None:
    started = time.monotonic()
    with pytest.raises(RoomNotFound), held(RoomTurns(engine=engine), 404):
        pass
    assert time.monotonic() - started < 1
