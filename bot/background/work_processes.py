"""Worker processes for the work after acks (`ROOMBOT_WORK_PROCESSES`).

A room creation costs ~13 ms of CPU in the SDKs, SQLAlchemy and Block Kit. Run on threads of
the serving process, that work holds the GIL while acks wait for it: under a burst of
`/room create` the acks queued behind it for hundreds of milliseconds. Here the serving
process only acks and hands each piece of work, as a small picklable `Job`, to worker
processes that run it on their own listener threads (see `bot/background/work_child.py`).
A worker that dies is replaced; what it was running is lost, as it would be if a single
process died.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.background.work_child import Build, run_worker
from bot.background.work_jobs import job_for, portable_parameters, work_name

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.process import BaseProcess

    from bot.config import Settings
    from bot.listeners.after_ack import Listener, Start

log = logging.getLogger(__name__)

WATCH_SECONDS = 1.0
# More unexpected exits than this within the window: the workers are crash-looping.
EXITS_TOLERATED, EXIT_WINDOW_SECONDS = 2, 60.0


@dataclass
class Worker:
    """A worker process and the queue only it reads: a worker killed while reading a shared
    queue would hold that queue's lock forever, so each has its own."""

    process: BaseProcess
    jobs: Any  # multiprocessing.Queue[Job | None]


class WorkProcesses:
    """`count` worker processes, given jobs in turn; an `AfterAck` for `create_app`."""

    def __init__(self, settings: Settings, *, count: int, build: Build) -> None:
        """`build` makes a work process's parts from the settings, in that process (it is
        pickled by reference: a function of the composition root)."""
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded process
        self._settings, self._build = settings, build
        self._ready: Any = self._context.Semaphore(0)  # released by each worker once built
        self._names: list[str] = []
        self._turn = itertools.count()
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self.exits = RecentExits(EXIT_WINDOW_SECONDS)
        self._workers = [self._spawn(number) for number in range(count)]
        self._watch = threading.Thread(target=self._replace_dead, name="work-watch", daemon=True)
        self._watch.start()

    def bind(self, work: Listener) -> Start:
        portable_parameters(work)
        key, name = len(self._names), work_name(work)
        self._names.append(name)

        def start(kwargs: dict[str, Any]) -> None:
            # Queue.put only hands the job to the queue's feeder thread: the ack never waits.
            workers = self._workers
            workers[next(self._turn) % len(workers)].jobs.put(job_for(key, name, kwargs))

        return start

    def wait_ready(self, timeout_s: float) -> bool:
        """True once every worker has built its app (jobs sent before then wait for it);
        False at `timeout_s`, or at once when a worker died while starting."""
        deadline, waiting = time.monotonic() + timeout_s, len(self._workers)
        while waiting and time.monotonic() < deadline:
            if self._ready.acquire(timeout=0.1):
                waiting -= 1
            elif self.alive() < len(self._workers):
                return False
        return waiting == 0

    def alive(self) -> int:
        with self._lock:
            return sum(worker.process.is_alive() for worker in self._workers)

    def health(self) -> tuple[bool, str]:
        """Fit to serve, and why not: a worker that exits now and then is replaced, but
        workers that keep exiting leave acks that are never followed by any work."""
        exits, alive, wanted = self.exits.count(), self.alive(), len(self._workers)
        if exits > EXITS_TOLERATED:
            return False, f"work processes keep exiting: {exits} in {EXIT_WINDOW_SECONDS:.0f} s"
        return alive > 0, f"{alive} of {wanted} work processes running"

    def close(self, timeout_s: float = 60.0) -> None:
        """Each worker finishes the jobs it was given and those still queued, then exits."""
        self._closing.set()
        self._watch.join()
        for worker in self._workers:
            worker.jobs.put(None)
        for worker in self._workers:
            worker.process.join(timeout_s)
            if worker.process.is_alive():
                log.warning("%s did not finish in %.0f s", worker.process.name, timeout_s)
                worker.process.terminate()
                worker.process.join()
            _discard(worker, flush=worker.process.exitcode == 0)

    def _spawn(self, number: int) -> Worker:
        jobs = self._context.Queue()
        process = self._context.Process(
            target=run_worker,
            args=(self._settings, self._build, jobs, self._ready, os.getpid()),
            name=f"roombot-work-{number}",
        )
        process.start()
        return Worker(process, jobs)

    def _replace_dead(self) -> None:
        while not self._closing.wait(WATCH_SECONDS):
            with self._lock:
                for number, worker in enumerate(self._workers):
                    if worker.process.is_alive() or self._closing.is_set():
                        continue
                    self.exits.note()
                    log.error(
                        "%s exited (code %s), losing the work it had; starting another",
                        worker.process.name,
                        worker.process.exitcode,
                    )
                    _discard(worker, flush=False)
                    self._workers[number] = self._spawn(number)


def _discard(worker: Worker, *, flush: bool) -> None:
    """Close a worker's queue. Jobs still buffered for a worker that is gone can't be
    written (its pipe may be full): waiting for them would hang this process's exit."""
    if not flush:
        worker.jobs.cancel_join_thread()
    worker.jobs.close()
    if flush:
        worker.jobs.join_thread()


class RecentExits:
    """When workers exited unexpectedly, kept for `window_s`."""

    def __init__(self, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._window_s, self._clock = window_s, clock
        self._times: deque[float] = deque()
        self._lock = threading.Lock()  # noted by the watcher, counted by health requests

    def note(self) -> None:
        with self._lock:
            self._times.append(self._clock())

    def count(self) -> int:
        with self._lock:
            while self._times and self._times[0] < self._clock() - self._window_s:
                self._times.popleft()
            return len(self._times)
