"""A job worker: claims recorded jobs under a lease and runs each as Bolt runs a lazy listener.

Each job is dispatched to this process's own app as a lazy-only request (the headers Bolt's
AWS Lambda adapter uses), so Bolt matches the listener again, builds `body`, `client` (with a
token it authorizes itself: none is stored with the job) and `respond`, and runs the named lazy
function. The app's requests come from the job table, not from the network: it verifies no
signature (the request was verified before its job was recorded).

While a job runs, its lease is renewed; a worker that dies stops renewing, and once the lease
runs out any worker of any instance takes the job again. A stop stops claiming and lets the
jobs in progress finish; what was never claimed waits in the database for the next worker.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Protocol

from slack_bolt import BoltRequest

from bot.listeners.late_answer import ACKNOWLEDGED_AT
from bot.services.errors import StoreUnavailable
from bot.services.job_queue import RunningJob, running_job

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from slack_bolt import App

    from bot.services.job_queue import Job, JobQueue

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # when nobody wakes it: other instances' jobs, leases that ran out
# A job that was taken this often and never finished kills its worker (or never ends): it is
# set aside, so that it cannot take every worker down with it, again and again.
MAX_ATTEMPTS = 5
# A finished job is marked done even through a short database outage.
FINISH_TRIES_SECONDS, FINISH_RETRY_SECONDS = 60.0, 1.0


class Wake(Protocol):
    """Released once per recorded job; a threading or a multiprocessing semaphore."""

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool: ...

    def release(self) -> None: ...


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class JobWorker:
    def __init__(
        self, app: App, queue: JobQueue, wake: Wake, *, threads: int, owner: str | None = None
    ) -> None:
        self._app, self._queue, self._wake = app, queue, wake
        self.owner = owner or default_owner()
        self._slots = threading.Semaphore(threads)
        self._free = threads
        self._running: dict[int, Job] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._stopped = threading.Event()  # the jobs in progress are over: leases need no renewal
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="job")
        self._claimer = threading.Thread(target=self._claim_loop, name="job-claim", daemon=True)
        self._renewer = threading.Thread(target=self._renew_loop, name="job-lease", daemon=True)

    def start(self) -> JobWorker:
        self._claimer.start()
        self._renewer.start()
        return self

    def alive(self) -> bool:
        return self._claimer.is_alive()

    def running(self) -> int:
        with self._lock:
            return len(self._running)

    def stop(self, timeout_s: float) -> bool:
        """Claim nothing more; wait up to `timeout_s` for the jobs in progress. True when they
        all finished; those that did not are taken again elsewhere once their lease runs out."""
        deadline = time.monotonic() + timeout_s
        self._stopping.set()
        self._wake.release()  # the claimer may be waiting for a wake-up
        self._claimer.join(timeout_s)
        self._pool.shutdown(wait=False)
        done = _wait_until(lambda: self.running() == 0, deadline - time.monotonic())
        self._stopped.set()
        self._renewer.join(1.0)
        return done

    def _claim_loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.acquire(timeout=POLL_SECONDS)
            while not self._stopping.is_set() and self._claim_some():
                pass

    def _claim_some(self) -> bool:
        """Claim as many jobs as there are free threads; True when there may be more."""
        with self._lock:
            free = self._free
        if free == 0:  # wait for a job to finish; then claim again at once
            freed = self._slots.acquire(timeout=POLL_SECONDS)
            if freed:
                self._slots.release()
            return freed
        try:
            jobs = self._queue.claim(self.owner, free)
        except StoreUnavailable:
            log.warning("could not claim jobs: the database is unavailable")
            self._stopping.wait(POLL_SECONDS)
            return False
        for job in jobs:
            self._begin(job)
        return len(jobs) == free

    def _begin(self, job: Job) -> None:
        with self._lock:
            if job.id in self._running:  # its lease ran out while it ran here: claimed back
                log.warning("job %s: lease ran out while it ran; it runs on here", job.id)
                return
        self._slots.acquire()
        with self._lock:
            self._free -= 1
            self._running[job.id] = job
        self._pool.submit(self._run, job)

    def run_pending(self, limit: int = 10) -> int:
        """Claim up to `limit` jobs and run them on the calling thread; how many ran. For a
        caller that wants the work done now (the CPU benchmark), not a worker's threads."""
        jobs = self._queue.claim(self.owner, limit)
        for job in jobs:
            self._execute(job)
        return len(jobs)

    def _run(self, job: Job) -> None:
        try:
            self._execute(job)
        finally:
            with self._lock:
                self._free += 1
                del self._running[job.id]
            self._slots.release()

    def _execute(self, job: Job) -> None:
        try:
            if job.attempts > MAX_ATTEMPTS:
                tries = job.attempts - 1
                log.error("job %s set aside after %s attempts: %s", job.id, tries, job.function)
            else:
                self._dispatch(job)
            self._finish(job)
        except Exception:  # a bug here must reach the log, and must not stop this thread
            log.exception("job %s failed", job.id)

    def _dispatch(self, job: Job) -> None:
        running = running_job.set(RunningJob(job, self._queue))
        try:
            response = self._app.dispatch(lazy_request(job))
        finally:
            running_job.reset(running)
        if response.status == 404:
            log.error("job %s names work this app does not run: %s", job.id, job.function)

    def _finish(self, job: Job) -> None:
        """Mark the job done; while the database is down, keep trying (its lease is renewed
        meanwhile), so a job whose person was already answered is not run again."""
        deadline = time.monotonic() + FINISH_TRIES_SECONDS
        while True:
            try:
                if not self._queue.finish(self.owner, job.id):
                    log.warning(
                        "job %s was taken over by another worker before it finished", job.id
                    )
                return
            except StoreUnavailable:
                if time.monotonic() >= deadline or self._stopped.is_set():
                    log.warning(
                        "could not mark job %s done (database unavailable): it runs again", job.id
                    )
                    return
                time.sleep(FINISH_RETRY_SECONDS)

    def _renew_loop(self) -> None:
        every = max(self._queue.lease.total_seconds() / 3, 0.05)
        while not self._stopped.wait(every):
            with self._lock:
                ids = list(self._running)
            try:
                if self._queue.renew(self.owner, ids) < len(ids):
                    log.warning("a job's lease ran out while it ran: another worker may take it")
            except StoreUnavailable:
                log.warning("could not renew job leases: the database is unavailable")


def lazy_request(job: Job) -> BoltRequest:
    """The request Bolt dispatches to run only the job's lazy function."""
    headers: dict[str, str | Sequence[str]] = {
        "content-type": "application/json",
        "x-slack-bolt-lazy-only": "1",
        "x-slack-bolt-lazy-function-name": job.function,
    }
    context = {ACKNOWLEDGED_AT: job.created_at.timestamp()}  # past 30 min: no response_url
    return BoltRequest(body=json.dumps(job.body), headers=headers, context=context, mode="http")


def _wait_until(done: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True
