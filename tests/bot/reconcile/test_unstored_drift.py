"""ACS rooms the store does not hold as live, and reservations that never got their room."""

from __future__ import annotations

from sqlmodel import col, select

from bot.services.domain import Role
from bot.services.reconcile.findings import Drift, Repair, Report
from storage import rooms as room_repo
from storage.models import RoomMemberRow, RoomRow
from storage.session import session_scope
from tests.bot.reconcile.support import ANA, World


def reconcile(world: World, **options: object) -> Report:
    assert world.services.reconcile is not None
    return world.services.reconcile.run(**options)  # type: ignore[arg-type]


def stored_by_acs_id(world: World, acs_room_id: str) -> RoomRow | None:
    with session_scope(world.engine) as session:
        statement = select(RoomRow).where(col(RoomRow.acs_room_id) == acs_room_id)
        return session.exec(statement).one_or_none()


def test_an_unrecorded_room_whose_reservation_waits_is_adopted_with_its_roster(
    world: World,
) -> None:
    orphan = world.unrecorded(reserve=True)
    world.clock.advance(minutes=20)

    report = reconcile(world)

    assert [r.finding.repair for r in report.results] == [Repair.ADOPT]
    row = stored_by_acs_id(world, orphan.id)
    assert row is not None
    assert (row.state, row.title, row.organizer_id) == ("active", "Lost standup", ANA)
    with session_scope(world.engine) as session:
        roster = session.exec(select(RoomMemberRow).where(RoomMemberRow.room_id == row.id)).all()
    assert [(m.slack_user_id, m.role) for m in roster] == [(ANA, "Presenter")]
    assert orphan.id in world.emulator.snapshot()


def test_an_unrecorded_room_nobody_reserved_is_deleted_from_acs(world: World) -> None:
    orphan = world.unrecorded(reserve=False)
    world.clock.advance(minutes=20)

    report = reconcile(world)

    assert [r.finding.repair for r in report.results] == [Repair.DELETE_IN_ACS]
    assert orphan.id not in world.emulator.snapshot()


def test_an_unrecorded_room_younger_than_the_grace_period_is_left_alone(world: World) -> None:
    orphan = world.unrecorded(reserve=True)

    report = reconcile(world)

    assert report.results == ()
    assert orphan.id in world.emulator.snapshot()
    assert stored_by_acs_id(world, orphan.id) is None


def test_rooms_with_people_roombot_does_not_know_are_never_touched(world: World) -> None:
    world.create()  # the workspace exists and has identities
    foreign = world.foreign_room(with_people=True)
    world.clock.advance(minutes=20)

    assert reconcile(world).results == ()
    assert foreign.id in world.emulator.snapshot()


def test_rooms_with_nobody_in_them_are_never_touched(world: World) -> None:
    world.create()
    empty = world.foreign_room(with_people=False)
    world.clock.advance(minutes=20)

    assert reconcile(world).results == ()
    assert empty.id in world.emulator.snapshot()


def test_a_room_mixing_roombot_users_and_strangers_is_never_touched(world: World) -> None:
    orphan = world.unrecorded(reserve=False)
    stranger = world.identities.create_identity()
    world.acs.upsert_participants(orphan.id, {stranger: Role.ATTENDEE})
    world.clock.advance(minutes=20)

    assert reconcile(world).results == ()
    assert orphan.id in world.emulator.snapshot()


def test_a_room_deleted_in_roombot_but_alive_in_acs_is_deleted_from_acs(world: World) -> None:
    room = world.create()
    with session_scope(world.engine) as session:
        room_repo.mark_deleted(session, room_id=world.stored(room).id or 0, now=world.clock())

    report = reconcile(world)

    assert [r.finding.drift for r in report.results] == [Drift.DELETED_STILL_IN_ACS]
    assert room.acs_room_id not in world.emulator.snapshot()


def test_a_reservation_that_never_got_its_acs_room_is_discarded(world: World) -> None:
    orphan = world.unrecorded(reserve=True)
    world.acs.delete_room(orphan.id)  # the compensating delete did work
    world.clock.advance(minutes=20)

    report = reconcile(world)

    assert [r.finding.drift for r in report.results] == [Drift.STALE_RESERVATION]
    with session_scope(world.engine) as session:
        assert session.exec(select(RoomRow)).all() == []
