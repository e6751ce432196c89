"""AuditTrail on its own: recording for other parts, observers, access, isolation, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine

from bot.services.access import Actor
from bot.services.attempts import Action, Attempt, Outcome
from bot.services.audit import reading as audit_reading
from bot.services.audit.actions import AuditAction
from bot.services.audit.events import AuditEvent, AuditFilters, Cursor
from bot.services.audit.trail import AuditTrail
from bot.services.domain import Member, Role, RoomDetails, RoomKey, RoomState, Workspace
from bot.services.errors import AccessDenied, RoomNotFound
from tests.bot.audit.helpers import BEN, CHO, DEMO, EVE, START, Clock, stored

ADMIN = Actor(EVE, is_admin=True)
GRID = Workspace("E0GRID", DEMO.team_id)  # same team id, inside an Enterprise Grid


def room(*members: Member, state: RoomState = RoomState.ACTIVE) -> RoomDetails:
    return RoomDetails(
        workspace=DEMO,
        number=4,
        title="Standup",
        acs_room_id="99000000000000004",
        organizer_id=BEN,
        channel_id="C0GENERAL",
        card_ts=None,
        valid_from=START,
        valid_until=START + timedelta(hours=1),
        pstn_dial_out_enabled=False,
        state=state,
        members=members,
    )


def rooms_on(page_events: tuple[AuditEvent, ...]) -> list[int | None]:
    return [event.room_number for event in page_events]


def test_a_reminder_recorded_by_roombot_has_no_actor_and_keeps_its_detail(
    trail: AuditTrail, engine: Engine
) -> None:
    trail.record(
        DEMO,
        action=AuditAction.REMINDER_SENT,
        room_number=4,
        detail={"kind": "expiring", "lead_seconds": 3600},
    )
    [event] = stored(engine)
    assert (event.actor_id, event.outcome, event.room_number, event.at) == (None, "ok", 4, START)
    assert event.detail == {"kind": "expiring", "lead_seconds": 3600}


def test_a_failed_installation_event_keeps_its_outcome_and_reason(
    trail: AuditTrail, engine: Engine
) -> None:
    trail.record(
        DEMO, actor_id=BEN, action=AuditAction.INSTALLATION_ADDED, outcome="failed", reason="x"
    )
    [event] = stored(engine)
    assert (event.action, event.outcome, event.reason) == ("installation.added", "failed", "x")


def test_an_unknown_outcome_is_refused(trail: AuditTrail, engine: Engine) -> None:
    with pytest.raises(ValueError, match="maybe"):
        trail.record(DEMO, action=AuditAction.REMINDER_SENT, outcome="maybe")
    assert stored(engine) == []


def test_an_attempt_becomes_one_record_naming_whoever_it_put_in(
    trail: AuditTrail, engine: Engine
) -> None:
    before = room(Member(BEN, "8:acs:b", Role.PRESENTER))
    after = room(*before.members, Member(CHO, "8:acs:c", Role.CONSUMER))
    trail.observe(Attempt("participants.added", DEMO, BEN, Outcome.OK, START, 4, before, after))
    [event] = stored(engine)
    assert event.detail == {"people": f"{CHO}:Consumer"}
    assert event.acs_room_id == "99000000000000004"
    assert event.after is not None
    assert event.after["roster"] == {"Presenter": [BEN], "Consumer": [CHO]}


def test_observers_hear_each_event_once(trail: AuditTrail) -> None:
    heard: list[AuditEvent] = []
    trail.observers.append(heard.append)
    event = trail.record(DEMO, action=AuditAction.REMINDER_SENT)
    assert heard == [event]


def test_a_failing_observer_loses_no_record(trail: AuditTrail, engine: Engine) -> None:
    def broken(_event: AuditEvent) -> None:
        raise RuntimeError("down")

    trail.observers.append(broken)
    trail.record(DEMO, action=AuditAction.REMINDER_SENT)
    assert len(stored(engine)) == 1


def test_reading_refuses_someone_who_is_not_an_admin_and_records_it(
    trail: AuditTrail, engine: Engine
) -> None:
    with pytest.raises(AccessDenied, match="ROOMBOT_ADMINS"):
        trail.read(DEMO, Actor(BEN), AuditFilters(action="delete"))
    [event] = stored(engine)
    assert (event.action, event.actor_id, event.outcome) == ("audit.read", BEN, "denied")
    assert event.detail == {"action": "delete"}


def test_an_admin_reads_only_their_own_workspace(trail: AuditTrail) -> None:
    trail.record(GRID, action=Action.ROOM_DELETED, room_number=1)
    trail.record(DEMO, action=Action.ROOM_CREATED, room_number=2)
    page = trail.read(DEMO, ADMIN, AuditFilters())
    assert [(e.action, e.workspace) for e in page.events] == [("room.created", DEMO)]


def test_pages_say_whether_there_is_more_either_way(trail: AuditTrail) -> None:
    for number in range(1, 8):
        trail.record(DEMO, action=Action.ROOM_CREATED, room_number=number)
    first = trail.read(DEMO, ADMIN, AuditFilters())
    middle = trail.read(DEMO, ADMIN, AuditFilters(), Cursor(older_than=first.events[-1].id))
    assert (rooms_on(first.events), first.has_newer, first.has_older) == ([7, 6, 5], False, True)
    assert (rooms_on(middle.events), middle.has_newer, middle.has_older) == ([4, 3, 2], True, True)
    assert middle.total == 7


def test_a_room_named_by_an_unknown_title_is_not_found(trail: AuditTrail) -> None:
    with pytest.raises(RoomNotFound):
        trail.read(DEMO, ADMIN, AuditFilters(room=RoomKey(title="Nope")))


def test_the_export_keeps_the_newest_events_up_to_its_cap(
    trail: AuditTrail, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_reading, "EXPORT_MAX", 2)
    for number in range(1, 5):
        trail.record(DEMO, action=Action.ROOM_CREATED, room_number=number)
    rows = trail.export_rows(DEMO, ADMIN, AuditFilters())
    assert [row[8] for row in rows[1:]] == ["3", "4"]


def test_a_cell_that_a_spreadsheet_would_run_is_kept_as_text(trail: AuditTrail) -> None:
    trail.record(DEMO, action=AuditAction.REMINDER_FAILED, outcome="failed", reason="=HYPERLINK()")
    rows = trail.export_rows(DEMO, ADMIN, AuditFilters())
    assert rows[1][7] == "'=HYPERLINK()"


def test_purging_drops_only_events_past_the_retention(
    trail: AuditTrail, engine: Engine, clock: Clock
) -> None:
    trail.record(DEMO, action=AuditAction.REMINDER_SENT, room_number=1)  # the hourly purge ran
    for number, age in ((2, timedelta(days=31)), (3, timedelta(days=29))):
        trail.record(GRID, action=AuditAction.REMINDER_SENT, room_number=number, at=START - age)
    assert trail.purge_expired(START) == 1
    assert [e.room_number for e in stored(engine) + stored(engine, GRID)] == [1, 3]


def test_without_a_retention_nothing_is_ever_purged(engine: Engine, clock: Clock) -> None:
    keep_all = AuditTrail(engine=engine, clock=clock)
    keep_all.record(DEMO, action=AuditAction.REMINDER_SENT, at=START - timedelta(days=3650))
    assert keep_all.purge_expired(START) == 0
    assert len(stored(engine)) == 1


def test_recording_purges_at_most_once_an_hour(
    trail: AuditTrail, engine: Engine, clock: Clock
) -> None:
    old = START - timedelta(days=40)
    trail.record(DEMO, action=AuditAction.REMINDER_SENT, room_number=1)  # purges (first time)
    trail.record(DEMO, action=AuditAction.REMINDER_SENT, room_number=2, at=old)
    clock.advance(timedelta(minutes=59))
    trail.record(DEMO, action=AuditAction.REMINDER_SENT, room_number=3)
    assert 2 in [e.room_number for e in stored(engine)]
    clock.advance(timedelta(minutes=1))
    trail.record(DEMO, action=AuditAction.REMINDER_SENT, room_number=4)
    assert [e.room_number for e in stored(engine)] == [1, 3, 4]
