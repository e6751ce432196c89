"""The live-call loop: claims room calls whose Slack side is behind and brings it up to date
(the card's live line, the Slack call).

It polls, and the Event Grid webhook wakes it in its own process, so an event reaches the card
in milliseconds unless the card was updated less than a second ago. Any number of loops may
run against one database: each claim leases its calls (FOR UPDATE SKIP LOCKED on PostgreSQL),
so one call is told to Slack by one loop at a time.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.background.loop import BackgroundLoop
from bot.background.reminder_loop import ClientFor, default_owner_id
from bot.services.calls.sync import CallSync, SyncOutcome
from bot.slack_posts.live_calls import sync_call

if TYPE_CHECKING:
    from bot.services.clock import Clock
    from bot.services.container import Services
    from bot.services.join_links import JoinLinks

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # how soon a loop notices what another instance's webhook took in


class LiveCallLoop(BackgroundLoop):
    thread_name = "live-call-loop"

    def __init__(
        self,
        sync: CallSync,
        client_for: ClientFor,
        links: JoinLinks,
        *,
        clock: Clock,
        owner_id: str,
        poll_seconds: float = POLL_SECONDS,
        lease_seconds: float = 30,
        batch: int = 20,
    ) -> None:
        super().__init__()
        self._sync, self._client_for, self._links = sync, client_for, links
        self._clock, self.owner_id = clock, owner_id
        self.poll_seconds, self.batch = poll_seconds, batch
        self.lease = timedelta(seconds=lease_seconds)
        self._woken = threading.Event()

    def wake(self) -> None:
        """Something was taken in: look now rather than at the next poll."""
        self._woken.set()

    def run_once(self) -> int:
        """Claim the calls that are behind and due, and sync each; how many were claimed."""
        claimed = self._sync.claim(self.owner_id, self.lease, self.batch)
        for task in claimed:
            client = self._client_for(task.room.workspace)
            if client is None:
                outcome = SyncOutcome(error="no_installation")
            else:
                outcome = sync_call(client, task, self._links, self._clock())
            self._sync.record(task, self.owner_id, outcome)
        return len(claimed)

    def run_forever(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self._woken.clear()
            try:
                if self.run_once() >= self.batch:
                    continue  # a full batch: more may be due
                delay = self._until_next_due()
            except Exception:  # the database or Slack may be down: keep polling
                log.exception("live-call poll failed")
                delay = self.poll_seconds
            self._woken.wait(delay)

    def _until_next_due(self) -> float:
        """Seconds until the next poll: sooner when a coalesced card update falls due first."""
        due = self._sync.next_due()
        if due is None:
            return self.poll_seconds
        return min(self.poll_seconds, max(0.0, (due - self._clock()).total_seconds()))

    def stop(self, timeout: float = 30.0) -> None:
        self._woken.set()
        super().stop(timeout)


def start_live_call_loop(services: Services, client_for: ClientFor) -> LiveCallLoop | None:
    """Run the live-call loop in a daemon thread until `services.close()` (it stops first)."""
    if services.call_sync is None:
        return None
    loop = LiveCallLoop(
        services.call_sync,
        client_for,
        services.join_links,
        clock=services.clock,
        owner_id=default_owner_id(),
    )
    loop.start_in_thread()
    services.closers.append(loop.stop)
    services.wake_live_calls.append(loop.wake)
    return loop
