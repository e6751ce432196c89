"""On PostgreSQL a writer can wait on another's uncommitted row; it must then do the right thing.

These pin the interleavings the threaded races only hit by chance. SQLite has one writer at a
time (a second one waits before it reads anything), so they run on PostgreSQL only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, func, text
from sqlmodel import Session, select

from storage import identities, reservations
from storage.engine import is_sqlite
from storage.models import RoomRow
from storage.session import session_scope

Scope = dict[str, str]
T = TypeVar("T")


@pytest.fixture
def pg_engine(engine: Engine) -> Engine:
    if is_sqlite(engine):
        pytest.skip("SQLite serialises writers before they read; nothing can wait mid-statement")
    return engine


def wait_until_blocked_by(engine: Engine, pid: int) -> None:
    """Return once some backend waits on a lock held by `pid` (fail after 10 s)."""
    query = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
    deadline = time.monotonic() + 10
    with engine.connect() as connection:
        while connection.execute(query, {"pid": pid}).scalar_one() == 0:
            assert time.monotonic() < deadline, "the second writer never waited"
            time.sleep(0.01)
            connection.rollback()  # a fresh snapshot of pg_stat_activity


@contextmanager
def holding(
    engine: Engine, first: Callable[[Session], object]
) -> Iterator[Callable[..., Future[Any]]]:
    """Run `first` in an open transaction; whatever is started inside waits on it.

    The transaction commits when the block ends, after the started work is seen blocking.
    """
    with ThreadPoolExecutor(1) as pool, session_scope(engine) as session:
        first(session)
        pid = session.exec(select(func.pg_backend_pid())).one()

        def start(work: Callable[[], T]) -> Future[T]:
            future = pool.submit(work)
            wait_until_blocked_by(engine, pid)
            return future

        yield start


def in_session(engine: Engine, work: Callable[[Session], T]) -> Callable[[], T]:
    def run() -> T:
        with session_scope(engine) as session:
            return work(session)

    return run


def reservation(scope: Scope, key: str, now: datetime) -> Callable[[Session], tuple[RoomRow, bool]]:
    fields: dict[str, Any] = {
        "title": "Sync",
        "organizer_id": "U_ORG",
        "channel_id": None,
        "valid_from": now,
        "valid_until": now + timedelta(hours=1),
        "pstn_dial_out_enabled": False,
        "now": now,
    }
    return lambda s: reservations.reserve_room(s, **scope, creation_key=key, **fields)


def test_a_claim_waiting_on_an_uncommitted_claim_returns_the_winner(
    pg_engine: Engine, acme: Scope, now: datetime
) -> None:
    def claim(acs_user_id: str) -> Callable[[Session], Any]:
        return lambda s: identities.claim_identity(
            s, **acme, slack_user_id="U1", acs_user_id=acs_user_id, now=now
        )

    with holding(pg_engine, claim("8:acs:winner")) as start:
        loser = start(in_session(pg_engine, claim("8:acs:loser")))
    assert loser.result(timeout=10).acs_user_id == "8:acs:winner"


def test_a_reservation_waiting_on_an_uncommitted_one_takes_the_next_number(
    pg_engine: Engine, acme: Scope, now: datetime
) -> None:
    with holding(pg_engine, reservation(acme, "first", now)) as start:
        second = start(in_session(pg_engine, reservation(acme, "second", now)))
    row, is_new = second.result(timeout=10)
    assert (row.number, is_new) == (2, True)


def test_a_double_submit_waiting_on_the_first_returns_the_first_room(
    pg_engine: Engine, acme: Scope, now: datetime
) -> None:
    first: list[RoomRow] = []
    keep = reservation(acme, "same", now)
    with holding(pg_engine, lambda s: first.append(keep(s)[0])) as start:
        again = start(in_session(pg_engine, reservation(acme, "same", now)))
    row, is_new = again.result(timeout=10)
    assert (row.id, is_new) == (first[0].id, False)


def test_an_activation_waiting_on_another_leaves_the_first_acs_room(
    pg_engine: Engine, reserve: Any, now: datetime
) -> None:
    room_id = reserve().id

    def activate(acs_room_id: str) -> Callable[[Session], tuple[RoomRow, bool]]:
        return lambda s: reservations.activate_room(
            s,
            room_id=room_id,
            acs_room_id=acs_room_id,
            valid_from=now,
            valid_until=now + timedelta(hours=1),
            pstn_dial_out_enabled=False,
            now=now,
        )

    with holding(pg_engine, activate("acs-first")) as start:
        second = start(in_session(pg_engine, activate("acs-second")))
    row, activated = second.result(timeout=10)
    assert (row.acs_room_id, activated) == ("acs-first", False)
