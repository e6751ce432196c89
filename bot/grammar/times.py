"""Times and durations as people type them, read relative to an injected `now` in their zone.

Pure: the clock and the zone are arguments, never the wall clock or the machine's zone.
Decisions (the usage text repeats them):
- A bare clock time earlier than now means tomorrow ("9am" at 22:00 is tomorrow 9am).
- A day without a clock time means the start of that day (00:00); today means now.
- "in 2 hours" / "2 hours ago" is exact elapsed time, so it stays right across DST changes.
- A wall time skipped by a DST change moves forward by the gap; a repeated one is the first.
Every result is an aware datetime in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from bot.grammar import time_words as when_words

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

MAX_DURATION = timedelta(days=400)
# No real time or duration takes more words ("next friday at 3:30 pm"); the cap also keeps a
# 4,000-character line from sending every long suffix through dateparser.
MAX_PHRASE_WORDS = 8
Prefer = Literal["future", "past"]

_UNIT_MINUTES = {
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 7 * 24 * 60),
    **dict.fromkeys(("d", "day", "days"), 24 * 60),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 60),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1),
}
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?\s*|an?\s+)([a-z]+)")
_DURATION_FILLER = re.compile(r",|\band\b")
# Far past MAX_DURATION yet small enough for timedelta: huge amounts still read as "too long".
_CEILING_MINUTES = 10 * MAX_DURATION.total_seconds() / 60
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_duration(text: str) -> timedelta | None:
    """'30m', '1h30m', '90 min', '2 hours', 'an hour', '-1h' -> timedelta; None if unreadable.

    Zero, negative and absurd values are returned as read: `duration_problem` judges them.
    """
    cleaned = _DURATION_FILLER.sub(" ", text.strip().lower())
    sign = -1 if cleaned.startswith("-") else 1
    body = cleaned.removeprefix("-").strip()
    parts = list(_DURATION_PART.finditer(body))
    if not parts or _DURATION_PART.sub("", body).strip():
        return None
    minutes = [_part_minutes(part) for part in parts]
    if None in minutes:
        return None
    total = min(sum(m for m in minutes if m is not None), _CEILING_MINUTES)
    return sign * timedelta(minutes=round(total))


def _part_minutes(part: re.Match[str]) -> float | None:
    amount_text, unit = part.group(1).strip(), part.group(2)
    per_unit = _UNIT_MINUTES.get(unit)
    if per_unit is None:
        return None
    amount = 1.0 if amount_text in ("a", "an") else float(amount_text)
    return amount * per_unit


def duration_problem(duration: timedelta) -> str | None:
    """Why a duration can't be used, in plain words; None when it is fine."""
    if duration <= timedelta(0):
        return "A duration must be longer than zero."
    if duration > MAX_DURATION:
        return f"That's too long: at most {MAX_DURATION.days} days."
    return None


def parse_time(
    text: str, *, now: datetime, tz: ZoneInfo, prefer: Prefer = "future"
) -> datetime | None:
    """A typed time in the user's zone -> aware UTC datetime; None when it isn't one."""
    words = text.lower().replace(",", " ").split()
    if words[:1] == ["from"]:
        words = words[1:]
    if not 0 < len(words) <= MAX_PHRASE_WORDS:
        return None
    moment = (
        _relative_time(words, now)
        or _iso_time(" ".join(words), tz)
        or _natural_time(words, now.astimezone(tz), prefer)
    )
    return None if moment is None else moment.astimezone(UTC)


def _relative_time(words: list[str], now: datetime) -> datetime | None:
    """'now', 'in <duration>', '<duration> ago': exact elapsed time from now."""
    if words == ["now"]:
        return now
    if words[0] == "in":
        offset = parse_duration(" ".join(words[1:]))
    elif words[-1] == "ago":
        offset = parse_duration(" ".join(words[:-1]))
        offset = None if offset is None else -offset
    else:
        return None
    if offset is None or duration_problem(abs(offset)) is not None:
        return None
    return now + offset


def _iso_time(text: str, tz: ZoneInfo) -> datetime | None:
    """'2026-12-01', '2026-12-01 09:30', '2026-12-01T09:30:00Z'; naive ones are local."""
    if not _ISO_DATE.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text.upper())
        return (moment.replace(tzinfo=tz) if moment.tzinfo is None else moment).astimezone(UTC)
    except (ValueError, OverflowError):  # not ISO after all, or beyond datetime's range
        return None


def _natural_time(words: list[str], local_now: datetime, prefer: Prefer) -> datetime | None:
    """Everything else goes to dateparser, but only once every word is a time word."""
    if not when_words.is_time_phrase(words):
        return None
    reading = when_words.read_with_dateparser(" ".join(words), local_now, prefer)
    if reading is None or not when_words.period_fits(words, reading.period):
        return None
    wall = _settle_imprecise(reading, local_now.replace(tzinfo=None), prefer)
    # Naive wall time + zone: zoneinfo applies the offset in force on that day.
    return wall.replace(tzinfo=local_now.tzinfo)


def _settle_imprecise(reading: when_words.Reading, local_now: datetime, prefer: Prefer) -> datetime:
    """A day without a clock time starts at 00:00; a start or end earlier today would already
    be over, so today (or "tonight" once it has begun) means now."""
    wall = reading.wall_time
    if reading.period == "day":
        wall = wall.replace(hour=0, minute=0, second=0, microsecond=0)
    if prefer == "future" and wall.date() == local_now.date() and reading.period != "time":
        return max(wall, local_now)
    return wall


def find_time_suffix(
    words: list[str], *, now: datetime, tz: ZoneInfo, first: int = 1
) -> tuple[int, datetime] | None:
    """The leftmost index >= first where the rest of `words` reads as a time, and that time.

    Leftmost means longest, so "review tomorrow 9am" takes "tomorrow 9am", not "9am".
    """
    for start in range(max(first, len(words) - MAX_PHRASE_WORDS), len(words)):
        if not when_words.can_start_time(words, start):
            continue
        moment = parse_time(" ".join(words[start:]), now=now, tz=tz)
        if moment is not None:
            return start, moment
    return None


def find_duration_suffix(words: list[str], *, first: int = 1) -> tuple[int, timedelta] | None:
    """The leftmost index >= first where the rest of `words` reads as a duration."""
    for start in range(max(first, len(words) - MAX_PHRASE_WORDS), len(words)):
        duration = parse_duration(" ".join(words[start:]))
        if duration is not None:
            return start, duration
    return None
