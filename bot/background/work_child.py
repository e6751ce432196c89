"""One work process: built by the composition root as the serving process is, then a job
worker (bot/background/job_worker.py) on its own threads until its parent tells it to stop."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from bot.config import Settings

if TYPE_CHECKING:
    from bot.background.job_worker import JobWorker

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # how often a worker checks that its parent lives
# Below the serving process: when the CPU is short, acks (3 s limit) go first, work waits.
NICENESS = 10
# What a worker gives the jobs in progress when told to stop: with serve's 3 s for requests
# in flight (http_server.py), inside `docker stop`'s 10 s.
STOP_SECONDS = 6.0


class WorkParts(Protocol):
    """What a work process runs: its job worker (not started yet), and how to close it all."""

    @property
    def jobs(self) -> JobWorker | None: ...

    def close(self) -> None: ...


Build = Callable[[Settings, Any], WorkParts]  # the settings, and the wake-up semaphore


def run_worker(
    settings: Settings, build: Build, wake: Any, stop: Any, ready: Any, parent_pid: int
) -> None:
    """A work process's life: its parent decides when it stops (Ctrl-C or a SIGTERM sent to
    the whole group must not cut a room creation in half), or it stops when the parent is
    gone. On the way out it finishes the jobs in progress, for up to the stop budget."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.nice(NICENESS)
    parts = build(settings, wake)
    assert parts.jobs is not None
    parts.jobs.start()
    ready.release()
    log.info("%s ready pid=%s", multiprocessing.current_process().name, os.getpid())
    try:
        # `stop` is readable when the parent says so, and at EOF when the parent is gone.
        while not stop.poll(POLL_SECONDS):
            if os.getppid() != parent_pid:
                break
        if os.getppid() != parent_pid:
            log.warning("the serving process is gone; this worker stops")
        parts.jobs.stop(STOP_SECONDS)
    finally:
        parts.close()
