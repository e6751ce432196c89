"""Timestamps go in aware, are stored as UTC, and come back aware UTC on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import StatementError

from storage import rooms
from storage.models import AcsIdentityRow
from storage.session import session_scope
from storage.timestamps import NaiveDatetimeError, UtcDateTime

Scope = dict[str, str]
TOKYO = timezone(timedelta(hours=9))
NEW_YORK_WINTER = timezone(timedelta(hours=-5))

aware_datetimes = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1)
).flatmap(
    lambda naive: st.builds(
        lambda minutes: naive.replace(tzinfo=timezone(timedelta(minutes=minutes))),
        st.integers(min_value=-14 * 60, max_value=14 * 60),
    )
)


def test_a_time_in_any_zone_comes_back_as_the_same_instant_in_utc(
    engine: Engine, reserve: Any, acme: Scope
) -> None:
    starts = datetime(2026, 12, 1, 18, 30, 15, 123456, tzinfo=TOKYO)
    room = reserve(valid_from=starts, valid_until=starts + timedelta(hours=1))
    with session_scope(engine) as session:
        row = rooms.get_room(session, **acme, room_id=room.id)
    assert row is not None
    assert row.valid_from == starts
    assert row.valid_from.tzinfo is UTC
    assert row.valid_from.isoformat() == "2026-12-01T09:30:15.123456+00:00"


def test_times_in_other_zones_are_compared_as_instants(
    engine: Engine, make_room: Any, acme: Scope, now: datetime
) -> None:
    # Ends 10:00 UTC, i.e. 05:00 in New York. Stored as text on SQLite, so a wrong
    # conversion of the bound value would compare wall clocks instead.
    make_room(valid_from=now, valid_until=datetime(2026, 11, 22, 10, 0, tzinfo=UTC))
    with session_scope(engine) as session:
        before_end = datetime(2026, 11, 22, 4, 59, tzinfo=NEW_YORK_WINTER)
        after_end = datetime(2026, 11, 22, 5, 1, tzinfo=NEW_YORK_WINTER)
        assert len(rooms.list_rooms(session, **acme, ending_after=before_end)) == 1
        assert rooms.list_rooms(session, **acme, ending_after=after_end) == []


def test_a_repository_refuses_a_naive_datetime_by_name(engine: Engine, reserve: Any) -> None:
    with pytest.raises(NaiveDatetimeError, match="valid_until must be timezone-aware"):
        reserve(valid_until=datetime(2026, 12, 1, 10, 0))


def test_the_column_type_refuses_a_naive_datetime_written_past_the_repositories(
    engine: Engine, acme: Scope
) -> None:
    row = AcsIdentityRow(
        **acme, slack_user_id="U1", acs_user_id="8:acs:1", created_at=datetime(2026, 1, 1)
    )
    with pytest.raises(StatementError) as raised, session_scope(engine) as session:
        session.add(row)
    assert isinstance(raised.value.orig, NaiveDatetimeError)


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "pg"])
@given(value=aware_datetimes)
def test_the_column_type_round_trips_every_aware_datetime(dialect: Any, value: datetime) -> None:
    column = UtcDateTime()
    stored = column.process_bind_param(value, dialect)
    loaded = column.process_result_value(stored, dialect)
    assert loaded == value
    assert loaded is not None
    assert loaded.tzinfo is UTC
