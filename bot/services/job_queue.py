"""The jobs acknowledged requests asked for: recorded once, claimed under a lease, finished.

The queue lives in the shared database, so it holds across restarts and instances: a job whose
worker died is taken up again by any worker once its lease runs out (`storage.leases`).
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.services.clock import Clock, utc_now
from bot.services.domain import Workspace
from bot.services.sweeps import SweepSchedule
from bot.services.uow import one_statement, unit_of_work
from storage import jobs as repo

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Engine

    from storage.models import JobRow

LEASE = timedelta(seconds=30)
# Done jobs are kept well past Slack's replay window (5 minutes), then swept.
KEEP_DONE = timedelta(hours=1)
SWEEP_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class Job:
    id: int
    key: str
    workspace: Workspace
    function: str
    body: dict[str, Any] = field(repr=False)
    attempts: int
    created_at: datetime
    answers_sent: int = 0
    changes_applied: int = 0
    planned: dict[str, Any] = field(default_factory=dict, repr=False)


class RunningJob:
    """The job this thread runs, and what this run of it has done so far."""

    def __init__(self, job: Job, queue: JobQueue) -> None:
        self.job, self.queue = job, queue
        self._changes = 0
        self._planned = dict(job.planned)

    def next_change(self) -> int:
        """The number of the change the job makes now (1, 2, … in the order the work runs)."""
        self._changes += 1
        return self._changes

    def was_applied(self, change: int) -> bool:
        return change <= self.job.changes_applied

    def plan(self, change: int) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self._planned.get(str(change))
        return found

    def keep_plan(self, change: int, plan: dict[str, Any]) -> None:
        """What change `change` computed, kept before it is made (StoreUnavailable if not)."""
        self._planned[str(change)] = plan
        self.queue.keep_plan(self.job.id, self._planned)


# The job the current thread is running, set by the job worker around it: what the work does
# on the job's behalf (its replies, its change) is recorded against it, for a re-run to see.
running_job: ContextVar[RunningJob | None] = ContextVar("running_job", default=None)


class JobQueue:
    def __init__(self, *, engine: Engine, clock: Clock = utc_now, lease: timedelta = LEASE):
        self._engine, self._clock, self.lease = engine, clock, lease
        self._sweeps = SweepSchedule(SWEEP_EVERY)

    def record(self, workspace: Workspace, key: str, function: str, body: dict[str, Any]) -> bool:
        """Record a job; False when one with this key exists already (a retry, a replay)."""
        with one_statement(self._engine) as connection:
            added = repo.record_job(
                connection,
                key=key,
                enterprise_id=workspace.enterprise_id,
                team_id=workspace.team_id,
                function=function,
                body=json.dumps(body, separators=(",", ":")),
                now=self._clock(),
            )
        return added is not None

    def claim(self, owner: str, limit: int) -> list[Job]:
        now = self._clock()
        with unit_of_work(self._engine) as session:
            rows = repo.claim_jobs(
                session, now=now, owner=owner, lease_until=now + self.lease, limit=limit
            )
            claimed = [_job(row) for row in rows]
        if self._sweeps.due(now):
            with unit_of_work(self._engine) as session:
                repo.forget_jobs(session, finished_before=now - KEEP_DONE)
        return claimed

    def renew(self, owner: str, job_ids: Sequence[int]) -> int:
        """Keep the leases of jobs still running; how many `owner` still held."""
        if not job_ids:
            return 0
        lease_until = self._clock() + self.lease
        with unit_of_work(self._engine) as session:
            return repo.renew_leases(session, job_ids=job_ids, owner=owner, lease_until=lease_until)

    def finish(self, owner: str, job_id: int) -> bool:
        with unit_of_work(self._engine) as session:
            return repo.finish_job(session, job_id=job_id, owner=owner, now=self._clock())

    def release(self, owner: str, job_id: int) -> bool:
        """Give back a job not started: any worker may take it at once."""
        with unit_of_work(self._engine) as session:
            return repo.release_job(session, job_id=job_id, owner=owner)

    def keep_plan(self, job_id: int, planned: dict[str, Any]) -> None:
        with unit_of_work(self._engine) as session:
            repo.keep_plan(session, job_id=job_id, planned=json.dumps(planned))

    def count_answer(self, job_id: int, sent: int) -> None:
        with unit_of_work(self._engine) as session:
            repo.count_answer(session, job_id=job_id, sent=sent)

    def pending(self) -> int:
        with unit_of_work(self._engine) as session:
            return repo.count_pending(session)


def _job(row: JobRow) -> Job:
    assert row.id is not None  # a claimed row is read back with its id
    return Job(
        id=row.id,
        key=row.key,
        workspace=Workspace(enterprise_id=row.enterprise_id, team_id=row.team_id),
        function=row.function,
        body=json.loads(row.body),
        attempts=row.attempts,
        created_at=row.created_at,
        answers_sent=row.answers_sent,
        changes_applied=row.changes_applied,
        planned=json.loads(row.planned) if row.planned else {},
    )
