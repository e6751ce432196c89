from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.text import channel_link, escape, mention, one_line, safe, slack_date, truncate


def test_escape_makes_a_channel_ping_inert() -> None:
    assert escape("<!channel> hi") == "&lt;!channel&gt; hi"


def test_escape_makes_a_link_inert() -> None:
    assert escape("<http://x|y> & more") == "&lt;http://x|y&gt; &amp; more"


def test_escape_leaves_ordinary_text_alone() -> None:
    assert escape("Weekly sync: Q3 plan") == "Weekly sync: Q3 plan"


def test_truncate_keeps_text_that_fits() -> None:
    assert truncate("abc", 3) == "abc"


def test_truncate_ends_long_text_with_an_ellipsis_within_the_limit() -> None:
    cut = truncate("abcdefghij", 5)
    assert cut == "abcd…"


def test_truncate_never_leaves_half_an_entity() -> None:
    assert truncate("ab&amp;cdef", 5) == "ab…"


def test_truncate_never_leaves_half_a_mention() -> None:
    assert truncate("hi <@U12345678> there", 10) == "hi …"


def test_truncate_refuses_a_limit_below_one() -> None:
    with pytest.raises(ValueError, match="limit"):
        truncate("abc", 0)


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_safe_text_never_exceeds_its_limit_or_opens_markup(text: str, limit: int) -> None:
    result = safe(text, limit)
    assert len(result) <= limit
    assert "<" not in result
    assert ">" not in result


def test_one_line_collapses_newlines_and_runs_of_spaces() -> None:
    assert one_line("  a\n\n b\t c ") == "a b c"


def test_slack_date_shows_local_time_with_a_utc_fallback() -> None:
    dt = datetime(2026, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    assert slack_date(dt) == "<!date^1777638600^{date_short_pretty} at {time}|2026-05-01 12:30 UTC>"


def test_slack_date_accepts_a_custom_format() -> None:
    dt = datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert slack_date(dt, "{time}").startswith("<!date^1777636800^{time}|")


def test_slack_date_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        slack_date(datetime(2026, 5, 1, 12))


def test_mention_wraps_a_user_id() -> None:
    assert mention("U0123ABC") == "<@U0123ABC>"


def test_mention_escapes_anything_that_is_not_a_user_id() -> None:
    assert mention("!channel>") == "!channel&gt;"


def test_channel_link_wraps_a_channel_id() -> None:
    assert channel_link("C0123ABC") == "<#C0123ABC>"
