"""The Slack edge. Each module registers its listeners with the services it calls."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.listeners import actions, audit, commands, dedupe, home, lifecycle, shortcuts, views
from bot.listeners.after_ack import AfterAck
from bot.listeners.directory import UserDirectory
from bot.listeners.guard import SORRY
from bot.services.container import Services

log = logging.getLogger(__name__)


def register_listeners(app: App, services: Services, after: AfterAck) -> None:
    """`after` runs the slow work after each ack (see `after_ack`)."""
    dedupe.register(app, services)  # first: a repeated event must reach no other code
    users = UserDirectory()
    commands.register(app, services, users, after)
    actions.register(app, services, users, after)
    audit.register(app, services, users, after)
    views.register(app, services, users, after)
    home.register(app, services, users)
    shortcuts.register(app)
    lifecycle.register(app, services)

    @app.error
    def on_error(error: Exception, body: dict[str, Any], request: BoltRequest) -> BoltResponse:
        if _garbled_timestamp(request):
            # Bolt's signature check raises on a timestamp that is no number instead of
            # answering 401; the request was never verified, so refuse it like any unsigned one.
            return BoltResponse(status=401, body="")
        # Only acks end up here; the work after an ack has its own guard (guard.py).
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
