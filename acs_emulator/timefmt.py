"""Service-style timestamps.

Time is kept as integer 100-nanosecond ticks since the Unix epoch, because the service prints
seven fractional digits (.NET ticks) and a float or a datetime would lose the seventh one.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

TICKS_PER_SECOND = 10_000_000
TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ISO_8601 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
    r"(?:([Zz])|([+-])(\d{2}):?(\d{2}))?"
)

Clock = Callable[[], datetime]


def now_ticks(clock: Clock | None = None) -> int:
    """The current time; an injected clock replaces the wall clock (tests)."""
    if clock is None:
        return time.time_ns() // 100
    return datetime_to_ticks(clock())


def datetime_to_ticks(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the SDK treats naive datetimes as UTC too
    return (moment - _EPOCH) // timedelta(microseconds=1) * 10


def ticks_to_datetime(ticks: int) -> datetime:
    return _EPOCH + timedelta(microseconds=ticks // 10)


def format_ticks(ticks: int) -> str:
    """Like .NET's DateTimeOffset JSON form: trailing zero digits of the fraction are dropped."""
    whole = ticks_to_datetime(ticks - ticks % TICKS_PER_SECOND).strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{ticks % TICKS_PER_SECOND:07d}".rstrip("0")
    return f"{whole}.{fraction}+00:00" if fraction else f"{whole}+00:00"


def parse_iso8601(text: str) -> int | None:
    """ISO 8601 text to ticks, or None when it is not a date-time the service would accept."""
    match = _ISO_8601.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()[:7]
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None
    sub_second = int((fraction or "0")[:7].ljust(7, "0"))
    return datetime_to_ticks(moment) + sub_second - _offset_ticks(match)


def _offset_ticks(match: re.Match[str]) -> int:
    sign, hours, minutes = match.group(9), match.group(10), match.group(11)
    if sign is None:
        return 0  # no offset (or Z): UTC
    offset = (int(hours) * 60 + int(minutes)) * 60 * TICKS_PER_SECOND
    return offset if sign == "+" else -offset
