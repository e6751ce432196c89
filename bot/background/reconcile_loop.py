"""Reconciliation outside requests: a round every ROOMBOT_RECONCILE_MINUTES, beside the
reminder loop (`roombot reconcile` runs one by hand)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.background.loop import BackgroundLoop
from bot.services.errors import RoomBotError
from bot.services.reconcile.schedule import ReconcileSchedule

if TYPE_CHECKING:
    import threading

    from bot.config import Settings
    from bot.services.container import Services

log = logging.getLogger(__name__)


class ReconcileLoop(BackgroundLoop):
    """Looks every `poll_seconds` whether a round is due; the schedule decides."""

    thread_name = "reconcile-loop"

    def __init__(self, schedule: ReconcileSchedule, *, poll_seconds: float) -> None:
        super().__init__()
        self.schedule, self.poll_seconds = schedule, poll_seconds

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.schedule.run_if_due()
            except RoomBotError as problem:  # ACS or the database down: the next round retries
                log.warning("reconcile round not done: %s", " ".join(problem.message.split()))
            except Exception:  # a bug: its traceback is for the operator
                log.exception("reconcile round failed")
            stop.wait(self.poll_seconds)


def start_reconcile_loop(services: Services, settings: Settings) -> ReconcileLoop | None:
    """Run periodic reconciliation in a daemon thread until `services.close()`; None when
    ROOMBOT_RECONCILE_MINUTES is 0."""
    if settings.roombot_reconcile_minutes == 0 or services.reconcile is None:
        return None
    schedule = ReconcileSchedule(
        engine=services.reconcile.engine,
        reconciler=services.reconcile,
        every=timedelta(minutes=settings.roombot_reconcile_minutes),
        clock=services.clock,
    )
    loop = ReconcileLoop(schedule, poll_seconds=settings.roombot_reminder_poll_seconds)
    loop.start_in_thread()
    services.closers.append(loop.stop)
    return loop
