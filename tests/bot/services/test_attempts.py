"""Every attempted operation is told once to observers, with its outcome."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from bot.services.access import Actor
from bot.services.attempts import Action, Attempt, Outcome
from bot.services.container import Services
from bot.services.domain import Role, RoomKey, Workspace
from bot.services.errors import AccessDenied, RoomNotFound
from bot.services.new_room import NewRoom

WS = Workspace("", "T1")
KEY = RoomKey(number=1)


@pytest.fixture
def told(services: Services) -> list[Attempt]:
    seen: list[Attempt] = []
    for log in (services.rooms.attempts, services.changes.attempts, services.identities.attempts):
        log.observers.append(seen.append)
    return seen


def create(services: Services, key: str | None = None) -> None:
    now = services.clock()
    services.rooms.create(
        NewRoom(
            workspace=WS,
            organizer_id="U1",
            title="Sync",
            valid_from=now,
            valid_until=now + timedelta(hours=1),
            members={"U2": Role.ATTENDEE},
            pstn_dial_out_enabled=False,
            channel_id="C1",
            creation_key=key or uuid.uuid4().hex,
        )
    )


def test_a_created_room_is_told_once_with_its_identities(
    services: Services, told: list[Attempt]
) -> None:
    key = uuid.uuid4().hex
    create(services, key)
    create(services, key)  # the same creation key again: not a second operation
    actions = [a.action for a in told]
    assert actions.count(Action.ROOM_CREATED) == 1
    assert actions.count(Action.IDENTITY_PROVISIONED) == 2
    created = next(a for a in told if a.action == Action.ROOM_CREATED)
    assert (created.outcome, created.actor_id, created.room_number) == (Outcome.OK, "U1", 1)
    assert created.after is not None


def test_a_change_carries_the_room_before_and_after(
    services: Services, told: list[Attempt]
) -> None:
    create(services)
    services.changes.extend(WS, KEY, Actor("U1"), timedelta(hours=1))
    extended = told[-1]
    assert extended.action == Action.ROOM_EXTENDED
    assert extended.before is not None
    assert extended.after is not None
    assert extended.after.valid_until - extended.before.valid_until == timedelta(hours=1)


def test_a_denied_attempt_is_told_with_the_reason(services: Services, told: list[Attempt]) -> None:
    create(services)
    with pytest.raises(AccessDenied):
        services.changes.delete(WS, KEY, Actor("U2"))
    denied = told[-1]
    assert (denied.action, denied.outcome, denied.actor_id) == (
        Action.ROOM_DELETED,
        Outcome.DENIED,
        "U2",
    )
    assert denied.reason is not None
    assert "organizer" in denied.reason


def test_a_failed_attempt_is_told_with_the_reason(services: Services, told: list[Attempt]) -> None:
    with pytest.raises(RoomNotFound):
        services.changes.set_pstn(WS, RoomKey(number=9), Actor("U1"), enabled=True)
    failed = told[-1]
    assert (failed.action, failed.outcome, failed.room_number) == (
        Action.PSTN_CHANGED,
        Outcome.FAILED,
        9,
    )


def test_an_observer_that_breaks_does_not_break_the_operation(services: Services) -> None:
    def broken(_: Attempt) -> None:
        raise RuntimeError("observer bug")

    services.rooms.attempts.observers.append(broken)
    create(services)
    assert services.rooms.get(WS, KEY).title == "Sync"


def test_asking_to_delete_without_the_right_is_told_as_a_denied_delete(
    services: Services, told: list[Attempt]
) -> None:
    create(services)
    with pytest.raises(AccessDenied):
        services.changes.deletable(WS, KEY, Actor("U2"))
    assert (told[-1].action, told[-1].outcome) == (Action.ROOM_DELETED, Outcome.DENIED)


def test_asking_to_delete_with_the_right_is_not_yet_a_delete(
    services: Services, told: list[Attempt]
) -> None:
    create(services)
    before = len(told)
    assert services.changes.deletable(WS, KEY, Actor("U1")).number == 1
    assert len(told) == before
