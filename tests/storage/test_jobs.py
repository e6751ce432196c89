"""Jobs: recorded once per key, claimed under a lease oldest first, never by two workers at
once, taken again when a lease runs out, finished only by the worker holding them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from storage import jobs
from storage.models import JobRow
from storage.session import session_scope, statement_scope
from tests.support.sql import statements

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


def record(engine: Engine, key: str, now: datetime = NOW) -> int | None:
    with statement_scope(engine) as connection:
        return jobs.record_job(
            connection,
            key=key,
            enterprise_id="",
            team_id="T1",
            function="run_command",
            body='{"text": "extend #1 by 1h"}',
            now=now,
        )


def test_recording_a_job_is_one_statement(engine: Engine) -> None:
    """The ack waits for it: no ORM session, no per-transaction settings (PostgreSQL runs it
    in autocommit, with synchronous_commit off for the whole engine)."""
    with statements(engine) as seen:
        record(engine, "T1/trigger:9/run_command")
    assert seen == ["INSERT INTO job"]


def claim(engine: Engine, owner: str, now: datetime = NOW, limit: int = 10) -> list[JobRow]:
    with session_scope(engine) as session:
        rows = jobs.claim_jobs(session, now=now, owner=owner, lease_until=now + LEASE, limit=limit)
        session.expunge_all()
        return rows


def test_a_job_is_recorded_once_per_key(engine: Engine) -> None:
    first = record(engine, "T1/trigger:1/run_command")
    assert first is not None
    assert record(engine, "T1/trigger:1/run_command") is None  # a retry or a replay
    assert record(engine, "T1/trigger:2/run_command") not in (None, first)


def test_jobs_are_claimed_oldest_first_with_the_attempt_counted(engine: Engine) -> None:
    ids = [record(engine, f"k{n}") for n in range(3)]
    claimed = claim(engine, "w1", limit=2)
    assert [row.id for row in claimed] == ids[:2]
    assert {(row.lease_owner, row.attempts) for row in claimed} == {("w1", 1)}
    assert [row.id for row in claim(engine, "w2")] == ids[2:]


def test_a_job_held_by_a_worker_is_not_claimed_again_until_its_lease_runs_out(
    engine: Engine,
) -> None:
    record(engine, "k")
    assert len(claim(engine, "w1")) == 1
    assert claim(engine, "w2", NOW + LEASE - timedelta(seconds=1)) == []
    again = claim(engine, "w2", NOW + LEASE)  # w1 died: its lease ran out
    assert [(row.lease_owner, row.attempts) for row in again] == [("w2", 2)]


def test_only_the_worker_holding_a_job_finishes_it(engine: Engine) -> None:
    job_id = record(engine, "k")
    assert job_id is not None
    claim(engine, "w1")
    claim(engine, "w2", NOW + LEASE)  # taken over
    with session_scope(engine) as session:
        assert jobs.finish_job(session, job_id=job_id, owner="w1", now=NOW) is False
        assert jobs.finish_job(session, job_id=job_id, owner="w2", now=NOW) is True
        assert jobs.count_pending(session) == 0
    assert claim(engine, "w3", NOW + 2 * LEASE) == []  # done is done


def test_a_released_job_is_claimable_at_once_without_counting_an_attempt(engine: Engine) -> None:
    job_id = record(engine, "k")
    assert job_id is not None
    claim(engine, "w1")
    with session_scope(engine) as session:
        assert jobs.release_job(session, job_id=job_id, owner="w1") is True
    assert [(row.lease_owner, row.attempts) for row in claim(engine, "w2")] == [("w2", 1)]


def test_renewing_keeps_a_lease_and_fails_for_a_lease_lost(engine: Engine) -> None:
    job_id = record(engine, "k")
    assert job_id is not None
    claim(engine, "w1")
    with session_scope(engine) as session:
        held = jobs.renew_leases(session, job_ids=[job_id], owner="w1", lease_until=NOW + 2 * LEASE)
        lost = jobs.renew_leases(session, job_ids=[job_id], owner="w9", lease_until=NOW)
    assert (held, lost) == (1, 0)
    assert claim(engine, "w2", NOW + LEASE) == []  # renewed past it


def test_concurrent_claims_never_take_the_same_job(engine: Engine) -> None:
    for n in range(60):
        record(engine, f"k{n}")
    taken: dict[str, list[int]] = {}

    def worker(owner: str) -> None:
        mine: list[int] = []
        while rows := claim(engine, owner, limit=3):
            mine += [row.id for row in rows if row.id is not None]
        taken[owner] = mine

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [job_id for ids in taken.values() for job_id in ids]
    assert len(every) == 60
    assert len(set(every)) == 60


def test_done_jobs_are_forgotten_after_a_while_and_pending_ones_kept(engine: Engine) -> None:
    done_id, _pending = record(engine, "old"), record(engine, "waiting")
    assert done_id is not None
    claim(engine, "w1", limit=1)
    with session_scope(engine) as session:
        jobs.finish_job(session, job_id=done_id, owner="w1", now=NOW)
        forgotten = jobs.forget_jobs(session, finished_before=NOW + timedelta(hours=1))
        assert (forgotten, jobs.count_pending(session)) == (1, 1)
    assert record(engine, "old") is not None  # its key is free again
