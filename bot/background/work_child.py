"""One work process: built by the composition root as the serving process is, then runs the
jobs it is handed (see `bot/background/work_processes.py`) on its own listener threads until
told to stop."""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from slack_bolt import App, Respond
from slack_sdk import WebClient

from bot.background.work_jobs import Job, portable_parameters, work_name
from bot.config import Settings
from bot.listeners.after_ack import Listener, Start, run_logged

if TYPE_CHECKING:
    from concurrent.futures import Executor

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # how often a worker with nothing to do checks that its parent lives
# Below the serving process: when the CPU is short, acks (3 s limit) go first, work waits.
NICENESS = 10


class BoundWorks:
    """The `AfterAck` of a worker's own app: it records each listener's work, in the same
    registration order as the serving process, so that a job's key finds the same work."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self._works: list[tuple[str, Listener, tuple[str, ...]]] = []

    def bind(self, work: Listener) -> Start:
        self._works.append((work_name(work), work, portable_parameters(work)))
        return lambda _kwargs: None  # this app is never dispatched to

    def run(self, job: Job, app_client: WebClient) -> None:
        if job.key >= len(self._works) or self._works[job.key][0] != job.name:
            log.error("work %s (key %s) is not registered here; job dropped", job.name, job.key)
            return
        _name, work, names = self._works[job.key]
        client = request_client(app_client, job.token, job.team_id)
        given: dict[str, Any] = {"body": job.body, "client": client, "respond": None}
        if job.response_url:
            given["respond"] = Respond(
                response_url=job.response_url, proxy=client.proxy, ssl=client.ssl
            )
        self.executor.submit(run_logged, work, {name: given[name] for name in names})


def request_client(app_client: WebClient, token: str | None, team_id: str | None) -> WebClient:
    """The client Bolt would have built for the request: the app client's settings, the
    request's token."""
    handlers = app_client.retry_handlers
    return WebClient(
        token=token,
        base_url=app_client.base_url,
        timeout=app_client.timeout,
        ssl=app_client.ssl,
        proxy=app_client.proxy,
        headers=app_client.headers,
        team_id=team_id,
        logger=app_client.logger,
        retry_handlers=handlers.copy() if handlers is not None else None,
    )


class WorkParts(Protocol):
    """What a work process runs: its app (never dispatched to; its client and listeners are
    used), the works its jobs name, and how to close it all."""

    @property
    def app(self) -> App | None: ...

    @property
    def works(self) -> BoundWorks | None: ...

    def close(self) -> None: ...


Build = Callable[[Settings], WorkParts]


def run_worker(settings: Settings, build: Build, jobs: Any, ready: Any, parent_pid: int) -> None:
    """A work process's life: its parent decides when it stops (Ctrl-C or a SIGTERM sent to
    the whole group must not cut a room creation in half), or it stops when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.nice(NICENESS)
    parts = build(settings)
    assert parts.app is not None
    assert parts.works is not None
    ready.release()
    log.info("%s ready pid=%s", multiprocessing.current_process().name, os.getpid())
    try:
        _run_jobs(jobs, parts.works, parts.app.client, parent_pid)
    finally:
        parts.close()


def _run_jobs(jobs: Any, works: BoundWorks, app_client: WebClient, parent_pid: int) -> None:
    while True:
        try:
            job = jobs.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent_pid:
                log.warning("the serving process is gone; this worker stops")
                return
            continue
        if job is None:
            return
        works.run(job, app_client)
