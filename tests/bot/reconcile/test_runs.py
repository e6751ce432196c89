"""A reconcile run as a whole: audit records, dry runs, failures, and workspace scoping."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from acs_emulator import EmulatedRoom
from bot.services.attempts import Outcome
from bot.services.audit.actions import actions_named
from bot.services.domain import Role
from bot.services.reconcile.findings import Drift, Report
from storage import rooms as room_repo
from storage.models import ReminderRow, RoomMemberRow, RoomRow
from storage.session import session_scope
from tests.bot.reconcile.support import BEN, OTHER_WS, WS, World


def reconcile(world: World, **options: object) -> Report:
    assert world.services.reconcile is not None
    return world.services.reconcile.run(**options)  # type: ignore[arg-type]


def store_state(world: World) -> list[tuple[object, ...]]:
    with session_scope(world.engine) as session:
        rooms = [
            (r.id, r.state, r.valid_until, r.acs_room_id) for r in session.exec(select(RoomRow))
        ]
        members = [(m.room_id, m.acs_user_id, m.role) for m in session.exec(select(RoomMemberRow))]
    return sorted(rooms) + sorted(members)


def acs_state(world: World) -> dict[str, EmulatedRoom]:
    return world.emulator.snapshot()


def make_every_kind_of_drift(world: World) -> None:
    gone = world.create()
    world.acs.delete_room(gone.acs_room_id)
    moved = world.create(members={BEN: Role.ATTENDEE})
    world.acs.update_room(moved.acs_room_id, valid_until=moved.valid_until + timedelta(hours=3))
    ben = moved.members[1].acs_id
    world.acs.remove_participants(moved.acs_room_id, [ben])
    world.unrecorded(reserve=True)
    world.unrecorded(reserve=False)
    world.clock.advance(minutes=20)


def test_each_repair_is_one_audit_record_by_roombot_saying_what_drifted(world: World) -> None:
    room = world.create()
    world.acs.delete_room(room.acs_room_id)

    reconcile(world)

    (record,) = world.reconciled()
    assert record["actor"] is None
    assert record["outcome"] == "ok"
    assert record["room"] == room.number
    assert record["detail"]["drift"] == "gone_from_acs"
    assert record["detail"]["acs_room"] == room.acs_room_id
    assert (record["before"]["state"], record["after"]["state"]) == ("active", "deleted")


def test_the_audit_filter_word_reconcile_names_the_reconciled_action() -> None:
    assert actions_named("reconcile") == ("room.reconciled",)
    assert actions_named("reconciled") == ("room.reconciled",)
    assert "room.reconciled" in actions_named("room")


def test_a_dry_run_changes_neither_the_store_nor_acs(world: World) -> None:
    make_every_kind_of_drift(world)
    store_before, acs_before = store_state(world), acs_state(world)

    report = reconcile(world, dry_run=True)

    assert len(report.results) == 5
    assert store_state(world) == store_before
    assert acs_state(world) == acs_before
    assert world.reconciled() == []


def test_a_dry_run_lists_the_findings_a_real_run_then_repairs(world: World) -> None:
    make_every_kind_of_drift(world)

    planned = [r.finding.line() for r in reconcile(world, dry_run=True).results]
    done = reconcile(world)

    assert [r.finding.line() for r in done.results] == planned
    assert {r.outcome for r in done.results} == {Outcome.OK}
    assert reconcile(world, dry_run=True).results == ()


def test_a_failed_repair_is_recorded_as_failed_and_the_run_goes_on(world: World) -> None:
    broken = world.create()
    with session_scope(world.engine) as session:
        room_id = world.stored(broken).id or 0
        # An identity ACS refuses: pushing this roster fails with a 400.
        room_repo.upsert_members(
            session, room_id=room_id, members=[(BEN, "8:bogus:ben", "Attendee")],
            now=world.clock(),
        )  # fmt: skip
    gone = world.create()
    world.acs.delete_room(gone.acs_room_id)

    report = reconcile(world)

    assert [(r.finding.drift, r.outcome) for r in report.results] == [
        (Drift.ROSTER_DIFFERS, Outcome.FAILED),
        (Drift.GONE_FROM_ACS, Outcome.OK),
    ]
    failed, done = world.reconciled()
    assert (failed["outcome"], failed["room"]) == ("failed", broken.number)
    assert failed["reason"]
    assert (done["outcome"], done["room"]) == ("ok", gone.number)
    assert report.summary() == "2 findings, 1 repaired, 1 failed"


def test_a_run_for_one_team_leaves_other_workspaces_alone(world: World) -> None:
    ours = world.create(ws=WS)
    theirs = world.create(ws=OTHER_WS)
    for room in (ours, theirs):
        world.acs.delete_room(room.acs_room_id)
    orphan = world.unrecorded(ws=OTHER_WS, reserve=False)
    world.clock.advance(minutes=20)

    report = reconcile(world, team_id=WS.team_id)

    assert [r.finding.workspace for r in report.results] == [WS]
    assert world.stored(ours).state == "deleted"
    assert world.stored(theirs).state == "active"
    assert orphan.id in world.emulator.snapshot()
    assert world.reconciled(OTHER_WS) == []


def test_a_room_found_gone_loses_its_pending_reminders(world: World) -> None:
    room = world.create(hours=30)
    world.acs.delete_room(room.acs_room_id)

    reconcile(world)

    with session_scope(world.engine) as session:
        states = {r.state for r in session.exec(select(ReminderRow))}
    assert states == {"cancelled"}
