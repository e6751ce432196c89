"""Reconciliation outside requests: every ROOMBOT_RECONCILE_MINUTES next to the reminder
worker, and once by hand as `roombot reconcile`."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import TextIO

from bot.background.loop import BackgroundLoop
from bot.config import Settings
from bot.services.container import Services
from bot.services.reconcile.schedule import ReconcileSchedule

log = logging.getLogger(__name__)


class ReconcileWorker(BackgroundLoop):
    """Looks every `poll_seconds` whether a round is due; the schedule decides."""

    thread_name = "reconcile-worker"

    def __init__(self, schedule: ReconcileSchedule, *, poll_seconds: float) -> None:
        super().__init__()
        self.schedule, self.poll_seconds = schedule, poll_seconds

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.schedule.run_if_due()
            except Exception:  # ACS or the database may be down: the next round tries again
                log.exception("reconcile round failed")
            stop.wait(self.poll_seconds)


def start_reconcile_worker(services: Services, settings: Settings) -> ReconcileWorker | None:
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
    worker = ReconcileWorker(schedule, poll_seconds=settings.roombot_reminder_poll_seconds)
    worker.start_in_thread()
    services.closers.append(worker.stop)
    return worker


def reconcile_once(settings: Settings, *, team_id: str | None, dry_run: bool, out: TextIO) -> int:
    """`roombot reconcile`: one line per finding, then a summary. 0 when every repair was
    done (or a dry run), 1 when some failed; errors that stop the run are raised."""
    from bot.app import build_services  # the composition root; imported late, it is heavy

    services = build_services(settings)
    try:
        assert services.reconcile is not None  # build_services always adds it
        report = services.reconcile.run(team_id=team_id, dry_run=dry_run)
    finally:
        services.close()
    for line in report.lines():
        print(line, file=out)
    print(report.summary(), file=out)
    return 1 if report.failed else 0
