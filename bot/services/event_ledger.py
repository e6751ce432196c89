"""Which Slack events were already taken on, so a retried or doubly delivered event runs once.

The claim lives in the shared database, so it holds across every instance behind a load
balancer: whichever instance claims an `event_id` first runs it, every other delivery is a repeat.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.services.clock import Clock, utc_now
from bot.services.sweeps import SweepSchedule
from bot.services.uow import unit_of_work
from storage.events import claim_event, forget_events

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.services.domain import Workspace

# Slack's last retry comes about 5 minutes after the first delivery; an hour leaves a wide margin.
KEEP_CLAIMS = timedelta(hours=1)
# Old claims are swept at most this often per process, by whichever request comes along.
SWEEP_EVERY = timedelta(minutes=10)


class EventLedger:
    def __init__(self, *, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock
        self._sweeps = SweepSchedule(SWEEP_EVERY)

    def first_delivery(self, workspace: Workspace, event_id: str) -> bool:
        """True the first time `event_id` is seen by any instance, False for every repeat."""
        now = self._clock()
        with unit_of_work(self._engine) as session:
            claimed = claim_event(
                session,
                event_id=event_id,
                enterprise_id=workspace.enterprise_id,
                team_id=workspace.team_id,
                now=now,
            )
        if self._sweeps.due(now):
            self.forget_older_than(now - KEEP_CLAIMS)
        return claimed

    def forget_older_than(self, cutoff: datetime) -> int:
        """Drop claims received before `cutoff`; returns how many went."""
        with unit_of_work(self._engine) as session:
            return forget_events(session, received_before=cutoff)
