"""Worker processes for the work after acks (`ROOMBOT_WORK_PROCESSES`).

A room creation costs milliseconds of CPU in the SDKs, SQLAlchemy and Block Kit. Run on
threads of the serving process, that work holds the GIL while acks wait for it: under a burst
of `/room create` the acks queued behind it for hundreds of milliseconds. Here the serving
process only acks and records each job; worker processes claim the jobs from the database
(bot/background/job_worker.py), woken through a shared semaphore as each is recorded. A worker
that dies is replaced; its jobs are taken again once their leases run out.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.background.work_child import STOP_SECONDS, Build, run_worker

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.process import BaseProcess

    from bot.config import Settings

log = logging.getLogger(__name__)

WATCH_SECONDS = 1.0
# More unexpected exits than this within the window: the workers are crash-looping.
EXITS_TOLERATED, EXIT_WINDOW_SECONDS = 2, 60.0


@dataclass
class Worker:
    """A worker process and the pipe only it reads, on which its stop is sent. (A shared
    multiprocessing Event would not do: one worker killed while waiting on it leaves its
    condition waiting for that worker forever, and the next `set()` hangs.)"""

    process: BaseProcess
    stop: Any  # the writing end of the worker's pipe


class WorkProcesses:
    """`count` worker processes claiming jobs, and the wake-up the job runner rings."""

    def __init__(self, settings: Settings, *, count: int, build: Build) -> None:
        """`build` makes a work process's parts from the settings and the wake-up, in that
        process (it is pickled by reference: a function of the composition root)."""
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded process
        self._settings, self._build = settings, build
        self._ready: Any = self._context.Semaphore(0)  # released by each worker once built
        self._wake: Any = self._context.Semaphore(0)  # released once per recorded job
        self._pid = os.getpid()
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self.exits = RecentExits(EXIT_WINDOW_SECONDS)
        self._workers = [self._spawn(number) for number in range(count)]
        self._watch = threading.Thread(target=self._replace_dead, name="work-watch", daemon=True)
        self._watch.start()

    def wake(self) -> None:
        self._wake.release()

    def wait_ready(self, timeout_s: float) -> bool:
        """True once every worker has built its app and claims jobs; False at `timeout_s`, or
        at once when a worker died while starting. Jobs recorded meanwhile wait for them."""
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

    def close(self, timeout_s: float = STOP_SECONDS + 0.5) -> None:
        """Each worker stops claiming and finishes its jobs in progress (for up to its stop
        budget), then exits; jobs not claimed stay recorded for the next instance."""
        self._closing.set()
        self._watch.join()
        for worker in self._workers:
            _send_stop(worker)
        deadline = time.monotonic() + timeout_s
        for worker in self._workers:
            worker.process.join(max(deadline - time.monotonic(), 0))
        for worker in self._workers:
            if worker.process.is_alive():
                log.warning("%s did not stop in %.0f s", worker.process.name, timeout_s)
                worker.process.kill()  # it ignores SIGTERM: its parent decides when it stops
                worker.process.join()
            worker.stop.close()

    def _spawn(self, number: int) -> Worker:
        reader, writer = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=run_worker,
            args=(self._settings, self._build, self._wake, reader, self._ready, self._pid),
            name=f"roombot-work-{number}",
        )
        process.start()
        reader.close()  # the worker holds its own copy
        return Worker(process, writer)

    def _replace_dead(self) -> None:
        while not self._closing.wait(WATCH_SECONDS):
            with self._lock:
                for number, worker in enumerate(self._workers):
                    if worker.process.is_alive() or self._closing.is_set():
                        continue
                    self.exits.note()
                    log.error(
                        "%s exited (code %s); starting another, its jobs are taken again"
                        " when their leases run out",
                        worker.process.name,
                        worker.process.exitcode,
                    )
                    worker.stop.close()
                    self._workers[number] = self._spawn(number)


def _send_stop(worker: Worker) -> None:
    with contextlib.suppress(OSError):  # it is gone already
        worker.stop.send_bytes(b"stop")


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
