"""Every audit event also goes to ROOMBOT_AUDIT_CHANNEL, one concise message each.

Posting happens after the event is recorded and off the request that caused it: events queue
in order and one task at a time drains them on the app's listener executor, so a slow or
rate-limited Slack never holds up a room operation, and the channel reads in order.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.audit_lines import event_line
from bot.services.domain import Workspace

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from slack_bolt import App

    from bot.services.audit.events import AuditEvent
    from bot.services.container import Services

log = logging.getLogger(__name__)

ClientFor = Callable[[Workspace], WebClient | None]


class AuditChannel:
    """An AuditTrail observer that posts each event to one channel."""

    def __init__(self, channel_id: str, client_for: ClientFor, executor: Executor) -> None:
        self.channel_id = channel_id
        self._client_for, self._executor = client_for, executor
        self._queue: deque[AuditEvent] = deque()
        self._lock = threading.Lock()
        self._draining = False

    def __call__(self, event: AuditEvent) -> None:
        with self._lock:
            self._queue.append(event)
            if self._draining:
                return
            self._draining = True
        self._executor.submit(self._drain)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._draining = False
                    return
                event = self._queue.popleft()
            self._post(event)

    def _post(self, event: AuditEvent) -> None:
        try:
            client = self._client_for(event.workspace)
            if client is None:
                log.warning("no Slack token for the workspace of audit event %d", event.id)
                return
            client.chat_postMessage(
                channel=self.channel_id, text=event_line(event), unfurl_links=False
            )
        except SlackApiError as exc:
            log.warning("audit event %d not posted: %s", event.id, exc.response.get("error"))
        except Exception:  # keep draining: one bad post must not silence the channel
            log.exception("audit event %d not posted", event.id)


def attach_audit_channel(
    app: App, channel_id: str | None, services: Services
) -> AuditChannel | None:
    """Post the audit trail to `channel_id` when it is set (ROOMBOT_AUDIT_CHANNEL)."""
    if not channel_id or services.audit is None:
        return None
    poster = AuditChannel(channel_id, _clients(app), app.listener_runner.listener_executor)
    services.audit.observers.append(poster)
    return poster


def _clients(app: App) -> ClientFor:
    """Each event is posted with its own workspace's token (installations, when OAuth is on),
    so it can only land in a channel that workspace's bot may post to."""
    store = app.installation_store

    def client_for(workspace: Workspace) -> WebClient | None:
        if store is None:
            return app.client
        bot = store.find_bot(
            enterprise_id=workspace.enterprise_id or None, team_id=workspace.team_id or None
        )
        if bot is None or not bot.bot_token:
            return None
        return WebClient(
            token=bot.bot_token,
            base_url=app.client.base_url,
            retry_handlers=list(app.client.retry_handlers),
        )

    return client_for
