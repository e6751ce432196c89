"""What a long-running RoomBot process needs: log lines for operators, and a clean stop."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType
from typing import Literal

from bot.config import Settings

LOG_FORMAT = "%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"
# Their INFO lines are per-request chatter (and may show request details); ours say enough.
QUIET_LOGGERS = ("slack_sdk", "slack_bolt", "waitress.queue", "azure", "alembic")


def require_settings(settings: Settings, mode: Literal["serve", "socket"]) -> None:
    """Refuse to start, naming the variable, before anything heavy is loaded or opened."""
    settings.require("SLACK_SIGNING_SECRET" if mode == "serve" else "SLACK_APP_TOKEN")
    # A bot token serves one workspace; a client id and secret serve any that installs.
    if settings.slack_client_id and not settings.slack_client_secret:
        settings.require("SLACK_CLIENT_SECRET")
    if settings.slack_client_secret and not settings.slack_client_id:
        settings.require("SLACK_CLIENT_ID")
    if not settings.oauth_enabled:
        settings.require("SLACK_BOT_TOKEN")


def configure_logging(level: int = logging.INFO) -> None:
    """One line per record on stderr, key=value where we write them."""
    logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr, force=True)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    logging.getLogger("slack_bolt.App").addFilter(_token_from_environment_notice)
    # The Rooms SDK warns on every create about the naive utcnow() it builds itself.
    logging.getLogger("azure.communication.rooms._generated._serialization").setLevel(logging.ERROR)


def _token_from_environment_notice(record: logging.LogRecord) -> bool:
    # Bolt reads SLACK_BOT_TOKEN from the environment by itself, then warns that the client we
    # built from that very token wins. Nothing for an operator to do.
    return "`token` will be unused" not in record.getMessage()


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM (what container platforms send) or SIGINT (Ctrl-C).

    Only the main thread may install signal handlers; the handler just sets the event so the
    main thread can stop things in order."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger(__name__).info("stopping signal=%s", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    return stop
