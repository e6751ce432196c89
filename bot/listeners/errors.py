"""One answer for every failure in an ack: Slack hears "Something went wrong", the log the
whole story. (The work after an ack has its own guard: `guard.py`.)"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.listeners.guard import SORRY

log = logging.getLogger(__name__)


def register(app: App) -> None:
    @app.error
    def on_error(error: Exception, body: dict[str, Any], request: BoltRequest) -> BoltResponse:
        if _garbled_timestamp(request):
            # Bolt's signature check raises on a timestamp that is no number instead of
            # answering 401; the request was never verified, so refuse it like any unsigned one.
            return BoltResponse(status=401, body="")
        log.error("listener failed for a %s request", body.get("type") or "command", exc_info=error)
        return BoltResponse(status=200, body=SORRY)


def _garbled_timestamp(request: BoltRequest) -> bool:
    """Sent over HTTP with an X-Slack-Request-Timestamp that int() cannot read."""
    stamps = request.headers.get("x-slack-request-timestamp") or []
    if not stamps:
        return False  # Socket Mode, or no header at all (Bolt answers 401 for that itself)
    try:
        int(stamps[0])
    except ValueError:
        return True
    return False
