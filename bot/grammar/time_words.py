"""Which words may make up a time phrase, and the one place that calls dateparser.

dateparser is generous: it skips words it doesn't know ("tomorrow 25:00" reads as tomorrow) and
reads bare numbers as months ("12"). So a phrase reaches it only when every word is a time word
here, and its answer is kept only when its precision matches what was typed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from dateparser.date import DateDataParser  # type: ignore[import-untyped]


def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(text.split())


WEEKDAYS = _vocabulary("""
    monday mon tuesday tue tues wednesday wed thursday thu thur thurs friday fri
    saturday sat sunday sun
""")
MONTHS = _vocabulary("""
    january jan february feb march mar april apr may june jun july jul august aug
    september sep sept october oct november nov december dec
""")
MERIDIEMS = frozenset(("am", "pm", "a.m.", "p.m."))
CLOCK_WORDS = frozenset(("noon", "midday", "midnight"))
_DAY_WORDS = _vocabulary("""
    today tonight tomorrow yesterday now morning afternoon evening night next this last at on of
""")
_TIME_WORDS = WEEKDAYS | MONTHS | MERIDIEMS | CLOCK_WORDS | _DAY_WORDS
_NOT_A_START = MERIDIEMS | {"of", "at", "on"}
_CLOCK = re.compile(r"([0-9]{1,2})(?::([0-9]{2}))?(?::([0-9]{2}))?(am|pm|a\.m\.|p\.m\.)?")
_LOOSE_CLOCK = re.compile(r"[0-9]{1,2}(?::[0-9]{2})+(?:[ap]\.?m\.?)?|[0-9]{1,2}[ap]\.?m\.?")
_DATE_NUMBER = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?|[0-9]{4}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AMOUNT_SHAPE = re.compile(r"-?[0-9][0-9.]*[a-z]+")
_TYPO_CUTOFF = 0.8
_TYPO_MIN_LENGTH = 4
_PERIODS_WITHOUT_CLOCK = frozenset(("time", "day", "part_of_day"))


@dataclass(frozen=True)
class Reading:
    """dateparser's answer: a naive wall time in the user's zone and how precise it is."""

    wall_time: datetime
    period: str


def is_clock(word: str, following: str = "") -> bool:
    """'9am', '14:00', '9:30pm', or '9' before 'am': a valid clock time."""
    match = _CLOCK.fullmatch(word)
    if match is None:
        return False
    hour, minute, second = (int(group or 0) for group in match.group(1, 2, 3))
    meridiem = match.group(4) or (following if following in MERIDIEMS else None)
    if meridiem is None and match.group(2) is None:
        return False  # a bare number is a day of the month, not a clock
    hour_ok = 1 <= hour <= 12 if meridiem else hour <= 23
    return hour_ok and minute <= 59 and second <= 59


def looks_like_clock(word: str) -> bool:
    """Shaped like a clock time even if it isn't a valid one ('25:00', '9pm')."""
    return _LOOSE_CLOCK.fullmatch(word) is not None


def is_time_phrase(words: list[str]) -> bool:
    has_month = any(word in MONTHS for word in words)
    return all(_is_time_word(words, index, has_month) for index in range(len(words)))


def _is_time_word(words: list[str], index: int, has_month: bool) -> bool:
    word, following = words[index], _following(words, index)
    if word in _TIME_WORDS or is_clock(word, following) or _ISO_DATE.fullmatch(word):
        return True
    return has_month and _is_date_number(word)


def _is_date_number(word: str) -> bool:
    match = _DATE_NUMBER.fullmatch(word)
    return match is not None and (match.group(1) is None or 1 <= int(match.group(1)) <= 31)


def _following(words: list[str], index: int) -> str:
    return words[index + 1] if index + 1 < len(words) else ""


def can_start_time(words: list[str], index: int) -> bool:
    """Whether a time phrase may begin at words[index] ('1 dec' may, 'Sprint 12' may not)."""
    word, following = words[index].lower(), _following(words, index).lower()
    if word in ("in", "from"):
        return True
    if word in _NOT_A_START:
        return word in ("at", "on")  # "at 9am", "on friday"
    if is_clock(word, following):
        return True
    if _is_date_number(word):
        return following in MONTHS
    return word in _TIME_WORDS or _ISO_DATE.fullmatch(word) is not None


def period_fits(words: list[str], period: str) -> bool:
    """A phrase with a clock in it must come back precise to the minute, else a word was lost."""
    has_clock = any(
        word in CLOCK_WORDS or is_clock(word, _following(words, index))
        for index, word in enumerate(words)
    )
    return period == "time" if has_clock else period in _PERIODS_WITHOUT_CLOCK


def read_with_dateparser(
    text: str, local_now: datetime, prefer: Literal["future", "past"]
) -> Reading | None:
    """Read `text` relative to the naive local wall time, so DST is applied afterwards."""
    parser = DateDataParser(languages=["en"], settings=_settings(local_now, prefer))
    data = parser.get_date_data(text)
    wall_time, period = data.date_obj, data.period
    if not isinstance(wall_time, datetime) or not isinstance(period, str):
        return None
    return Reading(wall_time.replace(tzinfo=None), period)


def _settings(local_now: datetime, prefer: str) -> dict[str, object]:
    # TIMEZONE "UTC" with a naive base keeps dateparser from reading the machine's zone.
    return {
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": True,
        "PARSERS": ["relative-time", "absolute-time"],
    }


def is_time_word_or_typo(word: str) -> bool:
    """A time word, something shaped like one, or a near miss ('tomorow', 'firday')."""
    lowered = word.lower()
    if lowered in _TIME_WORDS or looks_like_clock(lowered) or lowered.isdigit():
        return True
    return is_time_typo(lowered)


def is_time_typo(word: str) -> bool:
    """Close to a time word without being one; short words are left alone ('Ma', 'tu')."""
    lowered = word.lower()
    if len(lowered) < _TYPO_MIN_LENGTH or lowered in _TIME_WORDS:
        return False
    return bool(difflib.get_close_matches(lowered, _TIME_WORDS, n=1, cutoff=_TYPO_CUTOFF))


def is_time_shaped(word: str) -> bool:
    """Meant as a time, even if misspelled: a time word, a near miss, digits, or '…day'."""
    lowered = word.lower()
    if is_time_word_or_typo(lowered) or lowered.endswith(("day", "days")):
        return True
    return any(character.isdigit() for character in lowered)


def looks_like_amount(word: str) -> bool:
    """Shaped like a duration ('9Om', '90mims'), as opposed to a word or a plain number."""
    return _AMOUNT_SHAPE.fullmatch(word.lower()) is not None
