"""The reminder repository: planning, cancelling, claiming under a lease, finishing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from storage import reminders
from storage.models import ReminderRow, RoomRow
from storage.reminders import Planned
from storage.session import session_scope

MakeRoom = Callable[..., RoomRow]

NOW = datetime.fromisoformat("2026-11-22T09:00:00+00:00")


def plan(engine: Engine, room: RoomRow, *due: datetime, kind: str = "expiring") -> None:
    assert room.id is not None
    planned = [Planned(kind, 3600, at) for at in due]
    with session_scope(engine) as session:
        reminders.plan_reminders(
            session, enterprise_id="", team_id="T_ACME", room_id=room.id, planned=planned, now=NOW
        )


def states(engine: Engine, room: RoomRow) -> list[tuple[datetime, str]]:
    assert room.id is not None
    with session_scope(engine) as session:
        rows = reminders.list_reminders(session, room_id=room.id)
    return [(r.due_at, r.state) for r in rows]


def claim(engine: Engine, owner: str = "w1", *, now: datetime = NOW, limit: int = 10) -> list[int]:
    with session_scope(engine) as session:
        rows = reminders.claim_due(
            session, now=now, owner=owner, lease_until=now + timedelta(minutes=1), limit=limit
        )
    return [r.id for r in rows if r.id is not None]


def cancel(engine: Engine, room: RoomRow) -> int:
    assert room.id is not None
    with session_scope(engine) as session:
        return reminders.cancel_pending(session, room_id=room.id)


def finish(engine: Engine, reminder_id: int, owner: str = "w1", state: str = "sent") -> bool:
    with session_scope(engine) as session:
        return reminders.finish(
            session, reminder_id=reminder_id, owner=owner, state=state, now=NOW, delivered_to="C1"
        )


def test_planning_the_same_reminder_twice_keeps_one_row(
    engine: Engine, make_room: MakeRoom
) -> None:
    room = make_room()
    plan(engine, room, NOW)
    plan(engine, room, NOW)
    assert states(engine, room) == [(NOW, "pending")]


def test_a_cancelled_reminder_planned_again_is_pending_again(
    engine: Engine, make_room: MakeRoom
) -> None:
    room = make_room()
    plan(engine, room, NOW)
    assert cancel(engine, room) == 1
    plan(engine, room, NOW)
    assert states(engine, room) == [(NOW, "pending")]


def test_a_sent_reminder_planned_again_stays_sent(engine: Engine, make_room: MakeRoom) -> None:
    room = make_room()
    plan(engine, room, NOW)
    (claimed,) = claim(engine)
    assert finish(engine, claimed)
    plan(engine, room, NOW)
    assert states(engine, room) == [(NOW, "sent")]


def test_cancelling_leaves_sent_reminders_alone(engine: Engine, make_room: MakeRoom) -> None:
    room = make_room()
    plan(engine, room, NOW, NOW + timedelta(hours=1))
    finish(engine, claim(engine)[0])
    assert cancel(engine, room) == 1
    assert states(engine, room) == [(NOW, "sent"), (NOW + timedelta(hours=1), "cancelled")]


def test_a_claim_takes_only_due_reminders_oldest_first(engine: Engine, make_room: MakeRoom) -> None:
    room = make_room()
    plan(engine, room, NOW, NOW - timedelta(hours=2), NOW + timedelta(seconds=1))
    claimed = claim(engine)
    with session_scope(engine) as session:
        due = [session.get(ReminderRow, i) for i in claimed]
    assert [r.due_at for r in due if r] == [NOW - timedelta(hours=2), NOW]


def test_a_leased_reminder_is_not_claimed_again_until_its_lease_runs_out(
    engine: Engine, make_room: MakeRoom
) -> None:
    room = make_room()
    plan(engine, room, NOW)
    first = claim(engine, "w1")
    assert claim(engine, "w2", now=NOW + timedelta(seconds=59)) == []
    assert claim(engine, "w2", now=NOW + timedelta(seconds=60)) == first


def test_only_the_lease_holder_can_finish_a_reminder(engine: Engine, make_room: MakeRoom) -> None:
    room = make_room()
    plan(engine, room, NOW)
    (claimed,) = claim(engine, "w1")
    claim(engine, "w2", now=NOW + timedelta(minutes=2))  # w1's lease ran out; w2 took over
    assert not finish(engine, claimed, "w1")
    assert finish(engine, claimed, "w2")


def test_a_released_reminder_waits_until_its_retry_time(
    engine: Engine, make_room: MakeRoom
) -> None:
    room = make_room()
    plan(engine, room, NOW)
    (claimed,) = claim(engine)
    with session_scope(engine) as session:
        assert reminders.release(
            session,
            reminder_id=claimed,
            owner="w1",
            retry_at=NOW + timedelta(minutes=5),
            error="internal_error",
            count_attempt=True,
        )
    assert claim(engine, "w2", now=NOW + timedelta(minutes=4)) == []
    assert claim(engine, "w2", now=NOW + timedelta(minutes=5)) == [claimed]
    with session_scope(engine) as session:
        row = session.get(ReminderRow, claimed)
        assert row is not None
        assert (row.attempts, row.last_error) == (1, "internal_error")


def test_a_later_due_reminder_supersedes_an_earlier_one(
    engine: Engine, make_room: MakeRoom
) -> None:
    room = make_room()
    assert room.id is not None
    plan(engine, room, NOW - timedelta(hours=2), NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    with session_scope(engine) as session:
        two_ago, one_ago = NOW - timedelta(hours=2), NOW - timedelta(hours=1)
        assert reminders.later_one_due(session, room_id=room.id, after=two_ago, now=NOW)
        assert not reminders.later_one_due(session, room_id=room.id, after=one_ago, now=NOW)


def test_the_due_query_uses_the_state_due_at_index(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the plan is checked on PostgreSQL")
    with engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan_text = connection.execute(
            text(
                "EXPLAIN SELECT id FROM reminder WHERE state = 'pending' AND due_at <= now() "
                "ORDER BY due_at LIMIT 50"
            )
        ).scalars()
        assert "ix_reminder_state_due_at" in "\n".join(plan_text)
