"""A room change made by a job, made once however often the job runs.

A job's changes are numbered in the order its work makes them. Each is counted on the job in
the transaction that stores it; a re-run (its worker died, or stopped, mid-job) finds the
changes already counted and skips them. What a change computes from the moment it runs (an
extension's new end) is kept on the job before ACS is called, so a re-run makes exactly the
change the first run began, not a second one computed afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.services.job_queue import RunningJob, running_job
from storage import jobs as job_repo

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlmodel import Session

Window = tuple[datetime, datetime]


@dataclass(frozen=True)
class Step:
    """One change's place in the job running it."""

    running: RunningJob
    number: int

    @property
    def applied(self) -> bool:
        """An earlier run of the job stored this change."""
        return self.running.was_applied(self.number)


def next_step() -> Step | None:
    """The change about to be made, when a job makes it; None outside jobs."""
    running = running_job.get()
    return None if running is None else Step(running, running.next_change())


def planned_window(step: Step | None, compute: Callable[[], Window]) -> Window:
    """The window the change sets: as an earlier run planned it, else computed now and kept."""
    if step is None:
        return compute()
    plan = step.running.plan(step.number)
    if plan is not None:
        return datetime.fromisoformat(plan["valid_from"]), datetime.fromisoformat(
            plan["valid_until"]
        )
    start, end = compute()
    step.running.keep_plan(
        step.number, {"valid_from": start.isoformat(), "valid_until": end.isoformat()}
    )
    return start, end


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def count_within(session: Session, step: Step | None) -> None:
    """In the change's store transaction: the job has made it."""
    if step is not None:
        job_repo.count_change(session, job_id=step.running.job.id, applied=step.number)
