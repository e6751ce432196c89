"""Errors in the work after an ack bypass Bolt's @app.error, so it runs inside this guard."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from bot.blocks.replies import denied_message, error_message
from bot.services.errors import AccessDenied, RoomBotError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)

SORRY = "Something went wrong on RoomBot's side. Nothing more was changed; it has been logged."


def message_for(error: RoomBotError) -> dict[str, Any]:
    if isinstance(error, AccessDenied):
        return denied_message(error.message, ask=error.ask)
    return error_message(error.message)


@contextmanager
def guarded(reply: Callable[[dict[str, Any]], object]) -> Iterator[None]:
    """Domain errors are explained to the user; anything else is logged and apologised for."""
    try:
        yield
    except RoomBotError as error:
        _safely(reply, message_for(error))
    except Exception:
        log.exception("unexpected error while handling a Slack request")
        _safely(reply, error_message(SORRY))


def _safely(reply: Callable[[dict[str, Any]], object], message: dict[str, Any]) -> None:
    try:
        reply(message)
    except Exception:  # the reply channel itself failed; the log is all we have left
        log.exception("could not tell the user about an error")
