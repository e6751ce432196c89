"""The audit repository: append, scoped reads with filters and keyset pages, count, purge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from storage import audit
from storage.audit import EventFilter
from storage.models import AuditEventRow
from storage.session import session_scope

Append = Callable[..., AuditEventRow]
Scope = dict[str, str]
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def append(engine: Engine, acme: Scope) -> Append:
    """Append one event in its own transaction; acme, now and room.created unless told."""

    def add(scope: Scope | None = None, **fields: Any) -> AuditEventRow:
        values: dict[str, Any] = {"at": NOW, "action": "room.created", "outcome": "ok"} | fields
        with session_scope(engine) as session:
            return audit.append_event(session, **(scope or acme), **values)

    return add


def listed(engine: Engine, scope: Scope, **options: Any) -> list[int | None]:
    with session_scope(engine) as session:
        return [row.room_number for row in audit.list_events(session, **scope, **options)]


def test_events_are_listed_newest_first(engine: Engine, append: Append, acme: Scope) -> None:
    for number in (1, 2, 3):
        append(room_number=number)
    assert listed(engine, acme) == [3, 2, 1]


def test_an_event_keeps_every_field(engine: Engine, append: Append, acme: Scope) -> None:
    fields = {
        "actor_id": "U1",
        "outcome": "denied",
        "reason": "no",
        "room_number": 4,
        "acs_room_id": "99",
        "before_json": "{}",
        "after_json": '{"a": 1}',
        "detail_json": '{"b": "2"}',
    }
    append(**fields)
    with session_scope(engine) as session:
        [row] = audit.list_events(session, **acme)
    assert {key: getattr(row, key) for key in fields} == fields
    assert row.at == NOW


def test_a_workspace_lists_only_its_own_events(
    engine: Engine, append: Append, acme: Scope, globex: Scope
) -> None:
    append(acme, room_number=1)
    append(globex, room_number=2)
    assert listed(engine, acme) == [1]
    assert listed(engine, globex) == [2]


def test_a_room_filter_keeps_that_rooms_events(engine: Engine, append: Append, acme: Scope) -> None:
    for number in (1, 2, 1):
        append(room_number=number)
    assert listed(engine, acme, where=EventFilter(room_number=1)) == [1, 1]


def test_an_actions_filter_keeps_any_of_them(engine: Engine, append: Append, acme: Scope) -> None:
    for number, action in enumerate(("room.created", "room.deleted", "room.extended")):
        append(room_number=number, action=action)
    where = EventFilter(actions=("room.deleted", "room.extended"))
    assert listed(engine, acme, where=where) == [2, 1]


def test_a_since_filter_keeps_events_from_that_moment_on(
    engine: Engine, append: Append, acme: Scope
) -> None:
    append(room_number=1, at=NOW - timedelta(seconds=1))
    append(room_number=2, at=NOW)
    assert listed(engine, acme, where=EventFilter(since=NOW)) == [2]


def test_a_people_filter_keeps_what_they_did_or_what_named_them(
    engine: Engine, append: Append, acme: Scope
) -> None:
    append(room_number=1, actor_id="U_BEN")
    append(room_number=2, actor_id="U_ANA", detail_json='{"people": "U_BEN:Attendee"}')
    append(room_number=3, actor_id="U_ANA")
    assert listed(engine, acme, where=EventFilter(people=("U_BEN",))) == [2, 1]


def test_a_people_filter_treats_wildcards_as_plain_text(
    engine: Engine, append: Append, acme: Scope
) -> None:
    append(room_number=1, detail_json='{"people": "U_BEN"}')
    assert listed(engine, acme, where=EventFilter(people=("%",))) == []
    assert listed(engine, acme, where=EventFilter(people=("U_BE_",))) == []


def test_older_than_continues_below_a_page(engine: Engine, append: Append, acme: Scope) -> None:
    rows = [append(room_number=number) for number in range(1, 7)]
    assert listed(engine, acme, older_than=rows[3].id, limit=2) == [3, 2]


def test_newer_than_goes_back_up_to_the_rows_just_above(
    engine: Engine, append: Append, acme: Scope
) -> None:
    rows = [append(room_number=number) for number in range(1, 7)]
    assert listed(engine, acme, newer_than=rows[1].id, limit=2) == [4, 3]


def test_counting_uses_the_same_filters(engine: Engine, append: Append, acme: Scope) -> None:
    for number in (1, 2, 1):
        append(room_number=number)
    with session_scope(engine) as session:
        assert audit.count_events(session, **acme, where=EventFilter(room_number=1)) == 2


def test_purging_drops_older_events_of_every_workspace(
    engine: Engine, append: Append, acme: Scope, globex: Scope
) -> None:
    append(acme, room_number=1, at=NOW - timedelta(days=2))
    append(globex, room_number=2, at=NOW - timedelta(days=2))
    append(acme, room_number=3, at=NOW)
    with session_scope(engine) as session:
        assert audit.purge_events(session, before=NOW - timedelta(days=1)) == 2
    assert listed(engine, acme) + listed(engine, globex) == [3]


def test_a_naive_time_is_refused(engine: Engine, append: Append) -> None:
    with pytest.raises(ValueError, match="at"):
        append(at=datetime(2026, 1, 1))
