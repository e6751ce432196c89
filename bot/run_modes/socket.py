"""`roombot socket`: Socket Mode, for workspaces that cannot reach RoomBot over HTTP.

RoomBot opens a WebSocket to Slack (with the xapp- app-level token) and receives commands,
clicks and events through it, so no public URL is needed. slack_sdk's built-in client asks
`apps.connections.open` (at SLACK_API_URL) for the socket URL and reconnects when it drops.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from bot.app import assemble
from bot.run_modes.process import ProcessKind, require_settings, stop_on_signals
from bot.services.errors import ConfigurationError

if TYPE_CHECKING:
    import threading

    from slack_bolt import App

    from bot.config import Settings

log = logging.getLogger(__name__)


def socket_handler(app: App, settings: Settings) -> SocketModeHandler:
    """Bolt's Socket Mode handler for `app`; nothing connects until `.connect()`."""
    settings.require("SLACK_APP_TOKEN")
    token = settings.slack_app_token
    assert token is not None  # require() has just said so
    return SocketModeHandler(app, app_token=token.get_secret_value())


def run_socket_mode(settings: Settings, *, stop: threading.Event | None = None) -> int:
    """Connect and serve until `stop` is set (by default: until SIGTERM/SIGINT)."""
    require_settings(settings, "socket")
    stop = stop or stop_on_signals()
    process = assemble(settings, ProcessKind.SERVING)
    assert process.app is not None  # a serving process
    handler = socket_handler(process.app, settings)
    try:
        _connect(handler, settings)
        log.info("connected mode=socket multi_workspace=%s", settings.oauth_enabled)
        stop.wait()
        log.info("shutting down: finishing requests in flight")
    finally:
        # Stop receiving (its workers finish what they hold), then the work behind the acks.
        handler.close()  # type: ignore[no-untyped-call]
        process.close()
    log.info("stopped")
    return 0


def _connect(handler: SocketModeHandler, settings: Settings) -> None:
    try:
        handler.connect()  # type: ignore[no-untyped-call]
    except SlackApiError as exc:
        error = exc.response.get("error")
        raise ConfigurationError(
            f"Slack refused Socket Mode ({error}): check SLACK_APP_TOKEN"
        ) from None
    except OSError as exc:
        raise ConfigurationError(f"cannot reach Slack at {settings.slack_api_url}: {exc}") from None
