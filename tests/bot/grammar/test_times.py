"""Times and durations as people type them (bot/grammar/times.py), relative to an injected now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.grammar.times import (
    MAX_DURATION,
    duration_problem,
    find_duration_suffix,
    find_time_suffix,
    parse_duration,
    parse_time,
)

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
# Wednesday 10 June 2026, 10:30 in New York (EDT, UTC-4).
NOW = datetime(2026, 6, 10, 10, 30, tzinfo=NEW_YORK)


def ny_time(text: str, now: datetime = NOW) -> datetime | None:
    return parse_time(text, now=now, tz=NEW_YORK)


def ny(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A New York wall time as the UTC instant parse_time returns."""
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


# Natural language


def test_tomorrow_at_a_clock_time_is_that_time_tomorrow() -> None:
    assert ny_time("tomorrow 9am") == ny(2026, 6, 11, 9, 0)


def test_in_two_hours_is_two_hours_after_now() -> None:
    assert ny_time("in 2 hours") == NOW + timedelta(hours=2)


def test_in_an_hour_reads_the_article_as_one() -> None:
    assert ny_time("in an hour") == NOW + timedelta(hours=1)


def test_next_weekday_with_a_clock_time_is_the_coming_one() -> None:
    assert ny_time("next fri 15:30") == ny(2026, 6, 12, 15, 30)


def test_a_clock_time_later_today_is_today() -> None:
    assert ny_time("14:00") == ny(2026, 6, 10, 14, 0)


def test_a_clock_time_already_past_today_is_tomorrow() -> None:
    assert ny_time("9am") == ny(2026, 6, 11, 9, 0)


def test_a_weekday_alone_is_the_start_of_that_day() -> None:
    assert ny_time("friday") == ny(2026, 6, 12, 0, 0)


def test_today_alone_is_now_because_its_start_is_over() -> None:
    assert ny_time("today") == NOW


def test_now_is_exactly_now() -> None:
    assert ny_time("now") == NOW


def test_a_weekday_at_a_time_reads_both() -> None:
    assert ny_time("on friday at 3pm") == ny(2026, 6, 12, 15, 0)


def test_a_month_and_day_with_a_time_reads_both() -> None:
    assert ny_time("dec 1, 2026 9am") == ny(2026, 12, 1, 9, 0)


def test_noon_is_twelve_today_when_still_ahead() -> None:
    assert ny_time("noon") == ny(2026, 6, 10, 12, 0)


def test_a_leading_from_is_ignored() -> None:
    assert ny_time("from tomorrow 9am") == ny(2026, 6, 11, 9, 0)


def test_a_duration_ago_is_that_long_before_now() -> None:
    assert ny_time("2 hours ago") == NOW - timedelta(hours=2)


def test_preferring_the_past_reads_a_weekday_as_the_last_one() -> None:
    assert parse_time("monday", now=NOW, tz=NEW_YORK, prefer="past") == ny(2026, 6, 8, 0, 0)


def test_the_result_is_in_utc() -> None:
    moment = ny_time("tomorrow 9am")
    assert moment is not None
    assert moment.tzinfo is UTC


# ISO


def test_an_iso_date_and_time_is_read_in_the_users_zone() -> None:
    assert ny_time("2026-12-01 09:30") == ny(2026, 12, 1, 9, 30)


def test_an_iso_time_with_z_is_utc_whatever_the_users_zone() -> None:
    assert ny_time("2026-12-01T09:30:00Z") == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_an_iso_time_with_an_offset_keeps_its_offset() -> None:
    expected = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
    assert ny_time("2026-12-01T09:30+09:00") == expected


def test_an_iso_date_alone_is_the_start_of_that_day() -> None:
    assert ny_time("2026-12-01") == ny(2026, 12, 1, 0, 0)


# What is not a time


@pytest.mark.parametrize(
    "text",
    ["tomorow 9am", "tomorrow 25:00", "tomorrow 9", "12", "march", "", "Design review", "pm"],
)
def test_text_that_is_not_a_clear_time_reads_as_none(text: str) -> None:
    assert ny_time(text) is None


def test_an_iso_time_beyond_the_calendar_reads_as_none() -> None:
    assert ny_time("0001-01-01T00:00:00+14:00") is None


# Time zones


def test_tomorrow_depends_on_the_users_zone_around_midnight() -> None:
    now = datetime(2026, 6, 10, 15, 30, tzinfo=UTC)  # Wed 11:30 New York, Thu 00:30 Tokyo
    in_new_york = parse_time("tomorrow 9am", now=now, tz=NEW_YORK)
    in_tokyo = parse_time("tomorrow 9am", now=now, tz=TOKYO)
    assert (in_new_york, in_tokyo) == (
        datetime(2026, 6, 11, 13, 0, tzinfo=UTC),
        datetime(2026, 6, 12, 0, 0, tzinfo=UTC),
    )


def test_a_bare_time_is_tomorrow_in_tokyo_but_today_in_new_york() -> None:
    now = datetime(2026, 6, 10, 14, 30, tzinfo=UTC)  # Wed 10:30 New York, Wed 23:30 Tokyo
    assert parse_time("11pm", now=now, tz=TOKYO) == datetime(2026, 6, 11, 14, 0, tzinfo=UTC)
    assert parse_time("11pm", now=now, tz=NEW_YORK) == datetime(2026, 6, 11, 3, 0, tzinfo=UTC)


def test_a_wall_time_after_the_spring_change_uses_the_summer_offset() -> None:
    saturday_night = datetime(2026, 3, 7, 22, 30, tzinfo=NEW_YORK)  # EST; EDT from Sun 2am
    assert ny_time("tomorrow 9am", saturday_night) == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)


def test_in_hours_across_the_spring_change_is_exact_elapsed_time() -> None:
    saturday_night = datetime(2026, 3, 7, 22, 30, tzinfo=NEW_YORK)
    assert ny_time("in 12 hours", saturday_night) == saturday_night + timedelta(hours=12)


def test_a_wall_time_skipped_by_the_spring_change_moves_forward() -> None:
    saturday_night = datetime(2026, 3, 7, 22, 30, tzinfo=NEW_YORK)
    # 02:30 does not exist that night; it is read as 03:30 EDT.
    assert ny_time("tomorrow 2:30am", saturday_night) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def test_a_wall_time_repeated_by_the_autumn_change_is_the_first_one() -> None:
    saturday_night = datetime(2026, 10, 31, 22, 0, tzinfo=NEW_YORK)
    # 01:30 happens twice on 1 November; the first is still EDT (UTC-4).
    assert ny_time("tomorrow 1:30am", saturday_night) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


# Durations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("1w", timedelta(weeks=1)),
        ("1h30m", timedelta(minutes=90)),
        ("90m", timedelta(minutes=90)),
        ("90 min", timedelta(minutes=90)),
        ("2 hours", timedelta(hours=2)),
        ("1 hour and 30 minutes", timedelta(minutes=90)),
        ("an hour", timedelta(hours=1)),
        ("1.5h", timedelta(minutes=90)),
        ("2 Hours", timedelta(hours=2)),
    ],
)
def test_a_duration_form_reads_as_its_length(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["5", "h", "1h30", "90x", "", "soon", "2 parsecs"])
def test_text_that_is_not_a_duration_reads_as_none(text: str) -> None:
    assert parse_duration(text) is None


def test_a_negative_duration_reads_as_negative_so_it_can_be_refused() -> None:
    assert parse_duration("-1h") == timedelta(hours=-1)


def test_an_astronomical_duration_reads_as_too_long_instead_of_overflowing() -> None:
    duration = parse_duration("9" * 500 + "w")
    assert duration is not None
    assert duration > MAX_DURATION


def test_a_zero_duration_is_a_problem() -> None:
    assert duration_problem(timedelta(0)) == "A duration must be longer than zero."


def test_a_negative_duration_is_a_problem() -> None:
    assert duration_problem(timedelta(hours=-1)) == "A duration must be longer than zero."


def test_a_duration_over_400_days_is_a_problem() -> None:
    assert duration_problem(timedelta(days=401)) == "That's too long: at most 400 days."


def test_a_duration_of_exactly_400_days_is_fine() -> None:
    assert duration_problem(timedelta(days=400)) is None


# Finding the time inside a list of words


def test_the_time_suffix_is_the_longest_one_that_reads() -> None:
    words = ["Design", "review", "tomorrow", "14:00"]
    assert find_time_suffix(words, now=NOW, tz=NEW_YORK) == (2, ny(2026, 6, 11, 14, 0))


def test_a_number_inside_a_title_does_not_start_the_time() -> None:
    words = ["Sprint", "12", "review", "friday"]
    assert find_time_suffix(words, now=NOW, tz=NEW_YORK) == (3, ny(2026, 6, 12, 0, 0))


def test_words_without_a_time_have_no_time_suffix() -> None:
    assert find_time_suffix(["Plan", "for", "Q3"], now=NOW, tz=NEW_YORK) is None


def test_the_duration_suffix_skips_a_room_number_before_it() -> None:
    assert find_duration_suffix(["Sprint", "2", "2", "hours"]) == (2, timedelta(hours=2))
