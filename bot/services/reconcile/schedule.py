"""Periodic reconciliation: one run per round, whichever instance claims the round first.

Rounds are aligned to multiples of the period since the Unix epoch, so every instance sharing
a database names the same round at the same time; the claim in the store lets exactly one of
them run it. A process looks at each round once: started mid-round, it runs that round at once
(unless another instance already did), then waits for the next boundary.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.services.uow import unit_of_work
from storage.reconcile import claim_round

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.services.clock import Clock
    from bot.services.reconcile.findings import Report
    from bot.services.reconcile.reconciler import Reconciler

log = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ReconcileSchedule:
    def __init__(
        self, *, engine: Engine, reconciler: Reconciler, every: timedelta, clock: Clock
    ) -> None:
        if every <= timedelta(0):
            raise ValueError("the reconcile period must be positive")
        self._engine, self._reconciler, self.every, self._clock = engine, reconciler, every, clock
        self._looked_at: datetime | None = None

    def round_start(self, now: datetime) -> datetime:
        return EPOCH + self.every * ((now - EPOCH) // self.every)

    def next_round(self, now: datetime) -> datetime:
        return self.round_start(now) + self.every

    def run_if_due(self) -> Report | None:
        """Run the current round if this process has not looked at it and no other instance
        claimed it; returns the report, or None when nothing ran."""
        start = self.round_start(self._clock())
        if start == self._looked_at:
            return None
        self._looked_at = start
        round_id = f"{int(self.every.total_seconds())}s@{start.isoformat()}"
        with unit_of_work(self._engine) as session:
            claimed = claim_round(session, round_id=round_id, now=self._clock())
        if not claimed:
            log.info("reconcile round %s already taken by another instance", round_id)
            return None
        report = self._reconciler.run()
        for line in report.lines():
            log.warning("reconcile: %s", line)
        log.info("reconcile round %s: %s", round_id, report.summary())
        return report
