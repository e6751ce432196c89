"""Periodic reconciliation: one run per round across instances, timed by an injected clock."""

from __future__ import annotations

from datetime import timedelta

from bot.background.reconcile_loop import start_reconcile_loop
from bot.config import Settings
from bot.services.reconcile.schedule import ReconcileSchedule
from tests.bot.reconcile.support import World


def schedule(world: World, minutes: int = 60) -> ReconcileSchedule:
    reconciler = world.services.reconcile
    assert reconciler is not None
    return ReconcileSchedule(
        engine=world.engine,
        reconciler=reconciler,
        every=timedelta(minutes=minutes),
        clock=world.clock,
    )


def test_a_process_runs_the_current_round_when_it_first_looks(world: World) -> None:
    room = world.create()
    world.acs.delete_room(room.acs_room_id)

    report = schedule(world).run_if_due()

    assert report is not None
    assert world.stored(room).state == "deleted"


def test_a_round_already_run_is_not_due_again_before_the_next_one(world: World) -> None:
    periodic = schedule(world)
    assert periodic.run_if_due() is not None
    world.clock.now = periodic.next_round(world.clock()) - timedelta(seconds=1)

    assert periodic.run_if_due() is None


def test_the_next_round_runs_once_its_time_has_come(world: World) -> None:
    periodic = schedule(world)
    periodic.run_if_due()
    world.clock.now = periodic.next_round(world.clock())

    assert periodic.run_if_due() is not None


def test_another_instance_does_not_repeat_a_round_already_run(world: World) -> None:
    first, second = schedule(world), schedule(world)
    assert first.run_if_due() is not None
    room = world.create()
    world.acs.delete_room(room.acs_room_id)

    assert second.run_if_due() is None
    assert world.stored(room).state == "active"


def test_zero_minutes_turns_the_periodic_run_off(world: World) -> None:
    settings = Settings(_env_file=None, roombot_reconcile_minutes=0)  # type: ignore[call-arg]
    assert start_reconcile_loop(world.services, settings) is None


def test_reconcile_minutes_defaults_to_an_hour() -> None:
    assert Settings(_env_file=None).roombot_reconcile_minutes == 60  # type: ignore[call-arg]
