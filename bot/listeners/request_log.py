"""One key=value log line per Slack request: workspace, what it was, outcome, duration.

A Bolt global middleware cannot write this line: Bolt runs the listeners only after the last
middleware has returned, so no middleware sees the answer or how long it took. The app's
`dispatch` does, for HTTP and Socket Mode alike. Only ids and names are logged, never a
token, a payload or a user's text.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.listeners.dedupe import REPEAT_MARK

log = logging.getLogger("roombot.requests")

_UNSAFE = re.compile(r"[^\w./:@-]")


class LoggedApp(App):
    """Bolt's App, writing one line for every request it dispatches."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.perf_counter()
        response = super().dispatch(req)
        log_request(req, response, time.perf_counter() - started)
        return response


def log_request(req: BoltRequest, response: BoltResponse, seconds: float) -> None:
    kind, name = describe(req.body)
    retry = req.headers.get("x-slack-retry-num") or ["-"]
    fields = {
        "enterprise": req.context.enterprise_id,
        "team": req.context.team_id,
        "kind": kind,
        "name": name,
        "outcome": outcome(req, response),
        "status": str(response.status),
        "retry": retry[0],
        "duration_ms": f"{seconds * 1000:.1f}",
    }
    line = "slack_job" if req.lazy_only else "slack_request"  # a job run by a worker
    log.info("%s %s", line, " ".join(f"{k}={_safe(v)}" for k, v in fields.items()))


def describe(body: dict[str, Any]) -> tuple[str, str]:
    """What kind of request this is, and the name that tells which one (command, action...)."""
    kind = str(body.get("type") or ("command" if "command" in body else "unknown"))
    if kind == "command":
        return kind, str(body.get("command"))
    if kind == "event_callback":
        return "event", str((body.get("event") or {}).get("type"))
    if kind in {"block_actions", "block_suggestion"}:
        actions = body.get("actions") or [body]
        return kind, str(actions[0].get("action_id"))
    if kind in {"view_submission", "view_closed"}:
        return kind, str((body.get("view") or {}).get("callback_id"))
    return kind, str(body.get("callback_id") or "-")


def outcome(req: BoltRequest, response: BoltResponse) -> str:
    if req.context.get(REPEAT_MARK):
        return "repeat"
    if response.status == 401:
        return "rejected"
    return "ok" if response.status < 400 else "failed"


def _safe(value: str | None) -> str:
    # Values come from the request: keep one line, one token, bounded length.
    return _UNSAFE.sub("_", value)[:80] if value else "-"
