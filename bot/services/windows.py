"""The ACS validity-window rules, checked before any call so users get a precise reason."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.services.errors import InvalidInput, WindowInvalid

MAX_WINDOW = timedelta(days=180)
MAX_LEAD = timedelta(days=180)


def check_window(valid_from: datetime, valid_until: datetime, *, now: datetime) -> None:
    """Raise WindowInvalid naming the broken rule, in the order ACS itself checks them."""
    for moment in (valid_from, valid_until, now):
        if moment.tzinfo is None:
            raise InvalidInput("Times must carry a time zone.")
    if valid_until <= valid_from:
        raise WindowInvalid(
            "The room must end after it starts.", rule=WindowInvalid.TOO_LONG, field="end"
        )
    if valid_until - valid_from > MAX_WINDOW:
        raise WindowInvalid(
            "A room can be open for at most 180 days.", rule=WindowInvalid.TOO_LONG, field="end"
        )
    if valid_until <= now:
        raise WindowInvalid(
            "The room would end in the past.", rule=WindowInvalid.END_IN_PAST, field="end"
        )
    if valid_from - now > MAX_LEAD:
        raise WindowInvalid(
            "A room can start at most 180 days from now.",
            rule=WindowInvalid.START_TOO_FAR,
            field="start",
        )
