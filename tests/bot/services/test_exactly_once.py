"""Room changes are made once and in order: concurrent changes to one room all count, a job
run again after a crash does not make its stored changes twice and makes the others exactly
as first planned, and a button acts only on the room state its card showed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from acs_emulator import RunningEmulator
from bot.services.container import Services
from bot.services.errors import ChangedSince
from bot.services.job_queue import JobQueue, RunningJob, running_job
from tests.bot.services.test_change_transactions import KEY, ORGANIZER, WS, create


@contextmanager
def as_job(engine: Engine) -> Iterator[RunningJob]:
    """The block runs as (a run of) one job's work; each run claims it anew (its lease is a
    millisecond), with what its earlier runs stored and planned."""
    queue = JobQueue(engine=engine, lease=timedelta(milliseconds=1))
    queue.record(WS, "job-1", "work", {"text": "extend #1 by 1h"})  # once; then it is found
    (job,) = queue.claim("worker", 1)
    running = RunningJob(job, queue)
    token = running_job.set(running)
    try:
        yield running
    finally:
        running_job.reset(token)


def test_concurrent_extends_of_one_room_all_count(
    services: Services, emulator: RunningEmulator
) -> None:
    room = create(services)
    threads = [
        threading.Thread(
            target=services.changes.extend, args=(WS, KEY, ORGANIZER, timedelta(hours=1))
        )
        for _ in range(24)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = services.rooms.get(WS, KEY).valid_until
    assert stored == room.valid_until + timedelta(hours=24)
    assert emulator.snapshot()[room.acs_room_id].valid_until == stored


def test_each_confirmation_states_the_end_it_produced(services: Services) -> None:
    room = create(services)
    ends: list[object] = []
    lock = threading.Lock()

    def extend() -> None:
        change = services.changes.extend(WS, KEY, ORGANIZER, timedelta(hours=1))
        with lock:
            ends.append(change.after.valid_until)

    threads = [threading.Thread(target=extend) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(ends) == [room.valid_until + timedelta(hours=n) for n in range(1, 6)]  # type: ignore[type-var]


def test_a_job_run_again_does_not_make_the_change_an_earlier_run_stored(
    services: Services, engine: Engine, emulator: RunningEmulator
) -> None:
    room = create(services)
    with as_job(engine):
        first = services.changes.extend(WS, KEY, ORGANIZER, timedelta(hours=1))
    with as_job(engine):  # run again: the change was stored, the job not finished
        again = services.changes.extend(WS, KEY, ORGANIZER, timedelta(hours=1))
    assert first.after.valid_until == room.valid_until + timedelta(hours=1)
    assert again.after.valid_until == first.after.valid_until  # not a second hour
    assert emulator.snapshot()[room.acs_room_id].valid_until == first.after.valid_until


def test_a_stored_change_is_counted_on_its_job_with_the_store_write(
    services: Services, engine: Engine
) -> None:
    create(services)
    with as_job(engine):
        services.changes.extend(WS, KEY, ORGANIZER, timedelta(hours=1))
        services.changes.set_pstn(WS, KEY, ORGANIZER, enabled=True)
    with as_job(engine) as again:  # read back as the next run finds it
        assert (again.job.changes_applied, list(again.job.planned)) == (2, ["1"])


def test_a_job_run_again_makes_the_change_its_earlier_run_planned(
    services: Services, engine: Engine
) -> None:
    room = create(services)
    planned_end = room.valid_until + timedelta(minutes=90)  # what the first run computed
    with as_job(engine) as first:  # it planned its extension, then died before ACS
        plan = {"valid_from": room.valid_from.isoformat(), "valid_until": planned_end.isoformat()}
        first.keep_plan(1, plan)
    with as_job(engine):
        again = services.changes.extend(WS, KEY, ORGANIZER, timedelta(hours=1))
    assert again.after.valid_until == planned_end


def test_a_button_acts_only_on_the_room_its_card_showed(services: Services) -> None:
    room = create(services)
    shown = room.valid_until
    clicked = services.changes.extend(WS, KEY, ORGANIZER, timedelta(hours=1), shown_until=shown)
    assert clicked.after.valid_until == shown + timedelta(hours=1)
    with pytest.raises(ChangedSince, match="changed since that button was shown"):
        services.changes.extend(WS, KEY, ORGANIZER, timedelta(hours=1), shown_until=shown)
    assert services.rooms.get(WS, KEY).valid_until == shown + timedelta(hours=1)
