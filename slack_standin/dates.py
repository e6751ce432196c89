"""Slack's `<!date^…>` tokens, formatted as a reader in a given time zone would see them."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

_TOKEN = re.compile(r"\{(\w+)\}")
_RELATIVE_DAYS = {-1: "yesterday", 0: "today", 1: "tomorrow"}
_AGO_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
    ("second", 1),
)


def format_date(unix: int, template: str, zone: ZoneInfo, now: float | None = None) -> str:
    """Fill a Slack date template (`{date_short_pretty} at {time}`) for `unix` seconds.

    `now` is needed for the `_pretty` forms (today/yesterday/tomorrow) and `{ago}`; without
    it they fall back to their plain forms, so output never depends on the wall clock.
    """
    moment = datetime.fromtimestamp(unix, zone)
    today = datetime.fromtimestamp(now, zone).date() if now is not None else None
    forms = _forms(moment, today)
    if now is not None:
        forms["ago"] = _ago(unix - now)
    return _TOKEN.sub(lambda m: forms.get(m[1], m[0]), template)


def _forms(moment: datetime, today: date | None) -> dict[str, str]:
    month, day, year = moment.strftime("%B"), moment.day, moment.year
    plain = {
        "date_num": moment.strftime("%Y-%m-%d"),
        "date": f"{month} {_ordinal(day)}, {year}",
        "date_short": f"{moment.strftime('%b')} {day}, {year}",
        "time": _clock(moment, seconds=False),
        "time_secs": _clock(moment, seconds=True),
    }
    plain["date_long"] = f"{moment.strftime('%A')}, {plain['date']}"
    plain["ago"] = f"{plain['date_short']} {plain['time']}"
    relative = _RELATIVE_DAYS.get((moment.date() - today).days) if today else None
    for name in ("date", "date_short", "date_long"):
        plain[f"{name}_pretty"] = relative or plain[name]
    return plain


def _clock(moment: datetime, *, seconds: bool) -> str:
    hour = moment.hour % 12 or 12
    tail = f":{moment.second:02d}" if seconds else ""
    return f"{hour}:{moment.minute:02d}{tail} {'AM' if moment.hour < 12 else 'PM'}"


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _ago(delta: float) -> str:
    seconds = abs(int(delta))
    name, size = next(((n, s) for n, s in _AGO_UNITS if seconds >= s), ("second", 1))
    count = seconds // size
    amount = f"{count} {name}{'' if count == 1 else 's'}"
    return f"in {amount}" if delta > 0 else f"{amount} ago"
