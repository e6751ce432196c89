"""What a RoomBot process is made of (`Process`, built by `bot.app.assemble`), and what a
long-running one needs: log lines for operators, and a clean stop."""

from __future__ import annotations

import logging
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor
    from types import FrameType
    from wsgiref.types import WSGIApplication

    from slack_bolt import App

    from bot.background.job_worker import JobWorker
    from bot.background.reminder_loop import ReminderLoop
    from bot.background.work_processes import WorkProcesses
    from bot.config import Settings
    from bot.console.session import ConsoleSession
    from bot.services.container import Services
    from bot.services.health import HealthCheck
    from bot.services.ports import IdentityGateway, RoomsGateway
    from slack_standin import RunningStandin

    Gateways = tuple[RoomsGateway, IdentityGateway]

LOG_FORMAT = "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"
# Their INFO lines are per-request chatter (and may show request details); ours say enough.
# What the jobs in progress get to finish at a stop: inside `docker stop`'s 10 s.
JOB_STOP_SECONDS = 6.0
QUIET_LOGGERS = ("slack_sdk", "slack_bolt", "waitress.queue", "azure", "alembic")


def require_settings(settings: Settings, mode: Literal["serve", "socket"]) -> None:
    """Refuse to start, naming the variable, before anything heavy is loaded or opened."""
    settings.require("SLACK_SIGNING_SECRET" if mode == "serve" else "SLACK_APP_TOKEN")
    # A bot token serves one workspace; a client id and secret serve any that installs.
    if settings.slack_client_id and not settings.slack_client_secret:
        settings.require("SLACK_CLIENT_SECRET")
    if settings.slack_client_secret and not settings.slack_client_id:
        settings.require("SLACK_CLIENT_ID")
    if not settings.oauth_enabled:
        settings.require("SLACK_BOT_TOKEN")


def configure_logging(level: int = logging.INFO) -> None:
    """One line per record on stderr, key=value where we write them."""
    logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr, force=True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    logging.getLogger("slack_bolt.App").addFilter(_token_from_environment_notice)
    # The Rooms SDK warns on every create about the naive utcnow() it builds itself.
    logging.getLogger("azure.communication.rooms._generated._serialization").setLevel(logging.ERROR)


def _token_from_environment_notice(record: logging.LogRecord) -> bool:
    # Bolt reads SLACK_BOT_TOKEN from the environment by itself, then warns that the client we
    # built from that very token wins. Nothing for an operator to do.
    return "`token` will be unused" not in record.getMessage()


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM (what container platforms send) or SIGINT (Ctrl-C).

    The signal handler itself does nothing: Python's C-level handler writes the signal number
    to a wakeup socket, and a thread waiting on it sets the event. A handler that set the event
    itself would run in the main thread, maybe while that thread holds the event's own lock
    inside `wait()`, and wait for that lock forever (the emulator's stop hung exactly so).
    Only the main thread may install signal handlers."""
    stop = threading.Event()
    reader, writer = socket.socketpair()
    writer.setblocking(False)  # set_wakeup_fd requires it: a signal must never block on it
    signal.set_wakeup_fd(writer.fileno())
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _only_wake)
    relay = threading.Thread(target=_set_on_signal, args=(reader, writer, stop), daemon=True)
    relay.start()
    return stop


def _only_wake(signum: int, frame: FrameType | None) -> None:
    """Nothing to do here: having a Python handler is what makes the wakeup socket written."""


def _set_on_signal(reader: socket.socket, writer: socket.socket, stop: threading.Event) -> None:
    # Both sockets stay open for the process's whole life: the wakeup fd must never point at
    # a closed (or reused) descriptor when a second signal comes.
    while True:
        signum = reader.recv(1)[0]
        logging.getLogger(__name__).info("stopping signal=%s", signal.Signals(signum).name)
        stop.set()


class ProcessKind(StrEnum):
    SERVING = "serving"  # `roombot serve` and `roombot socket`
    WORK = "work"  # one work process of a serving one
    REMINDERS = "reminders"  # `roombot reminders`
    RECONCILE = "reconcile"  # `roombot reconcile`
    CONSOLE = "console"  # `roombot console`


@dataclass(frozen=True)
class Options:
    """What some kinds need besides the settings."""

    gateways: Gateways | None = None  # tests: ACS through these; the work stays in-process
    standin: RunningStandin | None = None  # the console: the Slack it plays against
    user: str = "ana"  # the console: who types, and where
    channel: str = "general"
    batch: int = 50  # `roombot reminders`: reminders per claim, and how long one is held
    lease_seconds: float = 60.0
    wake: Any = None  # a work process: the semaphore rung as each job is recorded


@dataclass
class Process:
    """What one process runs; `close()` stops it in order: work first, then the store."""

    services: Services
    app: App | None = None
    health: HealthCheck | None = None
    executor: ThreadPoolExecutor | None = None
    work: WorkProcesses | None = None  # serving: the work processes behind its acks
    jobs: JobWorker | None = None  # a work process, or serving with its jobs in-process
    reminders: ReminderLoop | None = None
    console: ConsoleSession | None = None
    web: WSGIApplication | None = None  # serving: the join page (bot/web), unless pointed elsewhere
    web_url: str | None = None  # the console: where it serves the join page
    acs_events: WSGIApplication | None = None  # the Event Grid webhook, when it has a secret

    def close(self) -> None:
        """Let work in flight (the work after acks too) finish, then release everything."""
        if self.work is not None:
            self.work.close()
        if self.jobs is not None:
            self.jobs.stop(JOB_STOP_SECONDS)
        if self.executor is not None:
            self.executor.shutdown(wait=True)
        if self.console is not None:
            self.console.close()
        if self.health is not None:
            self.health.close()
        self.services.close()
