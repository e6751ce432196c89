"""The reminder loop: claims due reminders in batches and posts them to Slack.

Any number of loops may run against one database (several bot instances, `roombot
reminders`): each claim leases its rows, so no two loops post the same reminder, and a
loop that dies leaves leases that run out and let another finish its batch.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.background.loop import BackgroundLoop
from bot.services.domain import Workspace
from bot.services.reminders.rules import Gone, Reminder, Skip, SlackFailure
from bot.slack_posts.reminders import failure_of, post_notice, show_gone

if TYPE_CHECKING:
    import threading

    from bot.config import Settings
    from bot.services.clock import Clock
    from bot.services.container import Services
    from bot.services.reminders.delivery import ReminderService

log = logging.getLogger(__name__)

ClientFor = Callable[[Workspace], WebClient | None]
# Stop delivering a batch when this little of its lease is left: another loop may take it.
LEASE_MARGIN = 0.1


def default_owner_id() -> str:
    """Unique per loop, and readable in the table: host, process, and a random tail."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class ReminderLoop(BackgroundLoop):
    thread_name = "reminder-loop"

    def __init__(
        self,
        services: Services,
        client_for: ClientFor,
        *,
        clock: Clock,
        poll_seconds: float,
        owner_id: str,
        lease_seconds: float = 60,
        batch: int = 50,
    ) -> None:
        if services.reminders is None:
            raise ValueError("these services were built without reminders")
        super().__init__()
        self._reminders: ReminderService = services.reminders
        self._client_for = client_for
        self._links = services.join_links
        self._clock = clock
        self.poll_seconds, self.owner_id = poll_seconds, owner_id
        self.lease, self.batch = timedelta(seconds=lease_seconds), batch

    def run_once(self) -> int:
        """Claim a batch of due reminders and deliver each; returns how many were claimed."""
        claimed = self._reminders.claim(owner=self.owner_id, lease=self.lease, limit=self.batch)
        deadline = self._clock() + self.lease * (1 - LEASE_MARGIN)
        for index, reminder in enumerate(claimed):
            if self._clock() >= deadline:
                log.warning("lease nearly over: %s reminders left to others", len(claimed) - index)
                break
            failure = self._handle(reminder)
            if failure is not None and failure.rate_limited:
                self._hold_back(claimed[index + 1 :], failure)
                break
        return len(claimed)

    def _hold_back(self, reminders: list[Reminder], failure: SlackFailure) -> None:
        """Slack asked us to slow down: the rest of the batch waits as long as it asked."""
        for reminder in reminders:
            self._reminders.failed(reminder, self.owner_id, failure)

    def run_forever(self, stop: threading.Event) -> None:
        """Poll until `stop` is set; a full batch means more may be due, so poll again now."""
        while not stop.is_set():
            try:
                claimed = self.run_once()
            except Exception:  # the database or Slack may be down: keep polling
                log.exception("reminder poll failed")
                claimed = 0
            if claimed < self.batch:
                stop.wait(self.poll_seconds)

    # --- one reminder -----------------------------------------------------------------------

    def _handle(self, reminder: Reminder) -> SlackFailure | None:
        """Deliver one reminder; returns what went wrong, if anything did."""
        try:
            self._deliver(reminder)
            return None
        except SlackApiError as exc:
            failure = failure_of(exc)
        except Exception:
            log.exception("reminder %s could not be delivered", reminder.id)
            failure = SlackFailure("internal_error", 500)
        self._retry_or_give_up(reminder, failure)
        return failure

    def _deliver(self, reminder: Reminder) -> None:
        step = self._reminders.prepare(reminder)
        if isinstance(step, Skip):
            self._reminders.skipped(reminder, self.owner_id, step.reason)
            return
        client = self._client_for(reminder.workspace)
        if client is None:
            self._reminders.failed(reminder, self.owner_id, SlackFailure("no_installation"))
            return
        if isinstance(step, Gone):
            show_gone(client, step.room, self._clock(), self._links)
            self._reminders.skipped(reminder, self.owner_id, "the room is gone from ACS")
            return
        self._reminders.sent(reminder, self.owner_id, post_notice(client, step, self._links))

    def _retry_or_give_up(self, reminder: Reminder, failure: SlackFailure) -> None:
        retry_at = self._reminders.failed(reminder, self.owner_id, failure)
        if retry_at is None:
            log.error("reminder %s failed for good: %s", reminder.id, failure.error)
        else:
            log.info("reminder %s: %s, retrying at %s", reminder.id, failure.error, retry_at)


def start_reminder_loop(
    services: Services, client_for: ClientFor, settings: Settings
) -> ReminderLoop:
    """Run a reminder loop in a daemon thread until `services.close()` (it stops first)."""
    loop = ReminderLoop(
        services,
        client_for,
        clock=services.clock,
        poll_seconds=settings.roombot_reminder_poll_seconds,
        owner_id=default_owner_id(),
    )
    loop.start_in_thread()
    services.closers.append(loop.stop)
    return loop
