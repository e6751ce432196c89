"""Drift of live stored rooms: ACS decides existence and window, the store the roster."""

from __future__ import annotations

from datetime import timedelta

from bot.services.domain import Role
from bot.services.reconcile.findings import Drift, Report
from tests.bot.reconcile.support import ANA, BEN, CHO, World


def reconcile(world: World, **options: object) -> Report:
    assert world.services.reconcile is not None
    return world.services.reconcile.run(**options)  # type: ignore[arg-type]


def drifts(report: Report) -> list[Drift]:
    return [r.finding.drift for r in report.results]


def test_a_room_in_line_with_acs_yields_no_findings(world: World) -> None:
    world.create(members={BEN: Role.ATTENDEE})
    assert reconcile(world).results == ()


def test_a_room_deleted_in_acs_is_marked_deleted_in_the_store(world: World) -> None:
    room = world.create()
    world.acs.delete_room(room.acs_room_id)

    report = reconcile(world)

    assert drifts(report) == [Drift.GONE_FROM_ACS]
    assert world.stored(room).state == "deleted"


def test_a_window_changed_in_acs_is_taken_into_the_store(world: World) -> None:
    room = world.create(hours=2)
    later = room.valid_until + timedelta(hours=3)
    world.acs.update_room(room.acs_room_id, valid_until=later)

    report = reconcile(world)

    assert drifts(report) == [Drift.WINDOW_DIFFERS]
    assert world.stored(room).valid_until == later


def test_a_room_that_ended_early_in_acs_ends_early_in_the_store(world: World) -> None:
    room = world.create(hours=2)
    soon = world.clock() + timedelta(minutes=5)
    world.acs.update_room(room.acs_room_id, valid_until=soon)
    world.clock.advance(minutes=10)

    report = reconcile(world)

    assert "(ended)" in report.results[0].finding.what
    assert world.stored(room).valid_until == soon


def test_pstn_dial_out_switched_in_acs_is_taken_into_the_store(world: World) -> None:
    room = world.create()
    world.acs.update_room(room.acs_room_id, pstn_dial_out_enabled=True)

    reconcile(world)

    assert world.stored(room).pstn_dial_out_enabled is True


def test_a_person_missing_in_acs_is_added_back(world: World) -> None:
    room = world.create(members={BEN: Role.ATTENDEE})
    ben = next(m.acs_id for m in room.members if m.slack_user_id == BEN)
    world.acs.remove_participants(room.acs_room_id, [ben])

    report = reconcile(world)

    assert drifts(report) == [Drift.ROSTER_DIFFERS]
    assert world.roster_in_acs(room.acs_room_id)[ben] is Role.ATTENDEE


def test_a_role_changed_in_acs_is_set_back_to_the_stored_role(world: World) -> None:
    room = world.create(members={BEN: Role.CONSUMER})
    ben = next(m.acs_id for m in room.members if m.slack_user_id == BEN)
    world.acs.upsert_participants(room.acs_room_id, {ben: Role.PRESENTER})

    reconcile(world)

    assert world.roster_in_acs(room.acs_room_id)[ben] is Role.CONSUMER


def test_a_roombot_user_added_in_acs_behind_its_back_is_removed(world: World) -> None:
    room = world.create()
    cho = world.services.identities.ensure_identities(room.workspace, [CHO])[CHO]
    world.acs.upsert_participants(room.acs_room_id, {cho: Role.ATTENDEE})

    report = reconcile(world)

    assert drifts(report) == [Drift.ROSTER_DIFFERS]
    assert cho not in world.roster_in_acs(room.acs_room_id)


def test_a_participant_roombot_never_issued_is_left_in_the_room(world: World) -> None:
    room = world.create()
    recorder = world.identities.create_identity()
    world.acs.upsert_participants(room.acs_room_id, {recorder: Role.CONSUMER})

    report = reconcile(world)

    assert report.results == ()
    assert world.roster_in_acs(room.acs_room_id)[recorder] is Role.CONSUMER


def test_the_organizer_stays_the_presenter_the_store_says(world: World) -> None:
    room = world.create()
    ana = room.members[0].acs_id
    world.acs.upsert_participants(room.acs_room_id, {ana: Role.ATTENDEE})

    reconcile(world)

    assert world.roster_in_acs(room.acs_room_id) == {ana: Role.PRESENTER}
    assert room.members[0].slack_user_id == ANA
