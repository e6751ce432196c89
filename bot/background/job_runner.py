"""RoomBot's Bolt lazy listener runner: the work after each ack becomes a job in the database.

Bolt runs a listener's ack, then calls its lazy listener runner's `start` for each lazy
function, and (with `process_before_response`) sends the ack only after that. This runner
records the job there, keyed by what makes the request unique, so what was acknowledged is on
disk before Slack hears the ack; worker processes claim it (bot/background/job_worker.py) and
re-dispatch it to their own app as a lazy-only request, as Bolt's AWS Lambda adapter does with
a second invocation. A retry or replay of the request finds its job and adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.lazy_listener import LazyListenerRunner

from bot.listeners.after_ack import NO_WORK
from bot.listeners.requester import workspace_of
from bot.services.errors import StoreUnavailable

if TYPE_CHECKING:
    from collections.abc import Callable

    from slack_bolt import BoltRequest

    from bot.services.job_queue import JobQueue

log = logging.getLogger(__name__)

# Slack's verification token (deprecated, still sent): nothing a job needs, not to be stored.
NOT_KEPT = frozenset({"token"})


class DurableLazyRunner(LazyListenerRunner):
    """Records each lazy function's work as a job and wakes a worker. When the database cannot
    take the job, the work runs here and now on `fallback` (it tells the person what failed)."""

    def __init__(
        self, queue: JobQueue, *, wake: Callable[[], None], fallback: LazyListenerRunner
    ) -> None:
        self.logger = log
        self._queue, self._wake, self._fallback = queue, wake, fallback

    def start(self, function: Callable[..., None], request: BoltRequest) -> None:
        if request.context.get(NO_WORK):
            return
        name = str(request.lazy_function_name)
        body = kept_body(request.body)
        try:
            added = self._queue.record(workspace_of(body), job_key(body, name), name, body)
        except StoreUnavailable:
            log.warning("job not recorded (database unavailable): running it in this process")
            self._fallback.start(function, request)
            return
        if added:
            self._wake()
        else:
            log.info("job_repeat function=%s: this request's work was recorded before", name)


def kept_body(body: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name not in NOT_KEPT}


def job_key(body: dict[str, Any], function: str) -> str:
    """What makes a request's work unique: the event, the view's state, else the trigger; a
    digest of the body for anything without one."""
    workspace = workspace_of(body)
    view = body.get("view") or {}
    if body.get("type") == "view_submission" and view.get("id"):
        unique = f"view:{view['id']}:{view.get('hash') or ''}"
    elif body.get("type") == "event_callback" and body.get("event_id"):
        unique = f"event:{body['event_id']}"
    elif body.get("trigger_id"):
        unique = f"trigger:{body['trigger_id']}"
    else:
        canonical = json.dumps(kept_body(body), sort_keys=True, separators=(",", ":"))
        unique = f"body:{hashlib.sha256(canonical.encode()).hexdigest()}"
    return f"{workspace.enterprise_id}/{workspace.team_id}/{unique}/{function}"
