"""Room use cases keep the store and ACS in agreement, whatever fails."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from acs_emulator import RunningEmulator
from bot.services.access import Actor
from bot.services.container import Services
from bot.services.domain import AcsRoom, Role, RoomKey, RoomState, Workspace
from bot.services.errors import (
    AccessDenied,
    InvalidInput,
    RoomNotFound,
    ServiceUnreachable,
    StoreUnavailable,
    WindowInvalid,
)
from bot.services.new_room import NewRoom
from bot.services.rooms import RoomService

WS = Workspace("", "T1")


def new_room(services: Services, **changes: object) -> NewRoom:
    now = services.clock()
    fields: dict[str, object] = {
        "workspace": WS,
        "organizer_id": "U1",
        "title": "Sync",
        "valid_from": now,
        "valid_until": now + timedelta(hours=1),
        "members": {"U2": Role.ATTENDEE},
        "pstn_dial_out_enabled": False,
        "channel_id": "C1",
        "creation_key": uuid.uuid4().hex,
    }
    return NewRoom(**(fields | changes))  # type: ignore[arg-type]


def test_the_organizer_is_always_a_presenter(services: Services) -> None:
    created = services.rooms.create(new_room(services, members={"U1": Role.CONSUMER}))
    assert [(m.slack_user_id, m.role) for m in created.room.members] == [("U1", Role.PRESENTER)]


def test_a_room_is_numbered_per_workspace(services: Services) -> None:
    first = services.rooms.create(new_room(services)).room
    other = services.rooms.create(new_room(services, workspace=Workspace("E1", "T9"))).room
    second = services.rooms.create(new_room(services)).room
    assert (first.number, other.number, second.number) == (1, 1, 2)


def test_repeating_a_creation_key_returns_the_same_room(
    services: Services, emulator: RunningEmulator
) -> None:
    request = new_room(services)
    first = services.rooms.create(request)
    again = services.rooms.create(request)
    assert again.room.acs_room_id == first.room.acs_room_id
    assert (first.is_new, again.is_new) == (True, False)


@pytest.mark.parametrize(
    ("start", "end", "rule"),
    [
        (timedelta(0), timedelta(days=181), WindowInvalid.TOO_LONG),
        (timedelta(hours=-3), timedelta(hours=-1), WindowInvalid.END_IN_PAST),
        (timedelta(days=181), timedelta(days=182), WindowInvalid.START_TOO_FAR),
        (timedelta(hours=2), timedelta(hours=1), WindowInvalid.TOO_LONG),
    ],
)
def test_a_bad_window_is_refused_before_acs_is_called(
    services: Services, emulator: RunningEmulator, start: timedelta, end: timedelta, rule: str
) -> None:
    before = emulator.request_count()
    now = services.clock()
    with pytest.raises(WindowInvalid) as refused:
        services.rooms.create(new_room(services, valid_from=now + start, valid_until=now + end))
    assert refused.value.rule == rule
    assert emulator.request_count() == before


def test_an_empty_title_is_refused(services: Services) -> None:
    with pytest.raises(InvalidInput, match="title"):
        services.rooms.create(new_room(services, title="   "))


def test_control_characters_are_left_out_of_a_title(services: Services) -> None:
    """Invisible, and a NUL is refused by PostgreSQL: the fuzzer found it there."""
    created = services.rooms.create(new_room(services, title="Stand\x00up\x07 \tsync"))
    assert created.room.title == "Standup sync"
    with pytest.raises(InvalidInput, match="title"):
        services.rooms.create(new_room(services, title="\x00\x1b"))


class FailingGateway:
    """Real ACS rooms, but create fails as if ACS were unreachable."""

    def __init__(self, real: object) -> None:
        self._real = real

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)

    def create_room(self, **_: object) -> AcsRoom:
        raise ServiceUnreachable("ACS did not answer.")


def test_a_failed_acs_create_leaves_no_room_in_the_store(services: Services) -> None:
    failing = RoomService(
        engine=services.rooms._engine,
        rooms=FailingGateway(services.rooms._rooms),  # type: ignore[arg-type]
        identities=services.identities,
    )
    with pytest.raises(ServiceUnreachable):
        failing.create(new_room(services))
    assert services.rooms.list_rooms(WS, involving=None, include_ended=True) == []


def test_an_acs_room_whose_recording_failed_is_deleted_again(
    services: Services, emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.reservations

    def lost_database(*_: object, **__: object) -> tuple[object, bool]:
        raise StoreUnavailable("database gone")

    monkeypatch.setattr(storage.reservations, "activate_room", lost_database)
    before = set(emulator.snapshot())
    with pytest.raises(StoreUnavailable):
        services.rooms.create(new_room(services))
    assert set(emulator.snapshot()) == before


def test_extending_moves_the_end_later_in_the_store_and_in_acs(
    services: Services, emulator: RunningEmulator
) -> None:
    room = services.rooms.create(new_room(services)).room
    change = services.changes.extend(
        WS, RoomKey(number=room.number), Actor("U1"), timedelta(hours=2)
    )
    assert change.after.valid_until == room.valid_until + timedelta(hours=2)
    assert emulator.snapshot()[room.acs_room_id].valid_until == change.after.valid_until


def test_only_the_organizer_or_an_admin_may_delete(services: Services) -> None:
    room = services.rooms.create(new_room(services)).room
    with pytest.raises(AccessDenied) as refused:
        services.changes.delete(WS, RoomKey(number=room.number), Actor("U2"))
    assert refused.value.ask == "U1"
    services.changes.delete(WS, RoomKey(number=room.number), Actor("U9", is_admin=True))
    assert services.rooms.get(WS, RoomKey(number=room.number)).state is RoomState.DELETED


def test_a_deleted_room_cannot_be_changed(services: Services) -> None:
    room = services.rooms.create(new_room(services)).room
    services.changes.delete(WS, RoomKey(number=room.number), Actor("U1"))
    with pytest.raises(RoomNotFound, match="deleted"):
        services.changes.extend(WS, RoomKey(number=room.number), Actor("U1"), timedelta(hours=1))


def test_rooms_of_another_workspace_are_invisible(services: Services) -> None:
    room = services.rooms.create(new_room(services)).room
    with pytest.raises(RoomNotFound):
        services.rooms.get(Workspace("", "T2"), RoomKey(acs_room_id=room.acs_room_id))


def test_a_title_shared_by_two_rooms_asks_for_the_number(services: Services) -> None:
    services.rooms.create(new_room(services, title="Daily"))
    services.rooms.create(new_room(services, title="Daily"))
    with pytest.raises(InvalidInput, match="#1, #2"):
        services.rooms.get(WS, RoomKey(title="daily"))


def roster(services: Services, number: int) -> Mapping[str, Role]:
    return {m.slack_user_id: m.role for m in services.rooms.get(WS, RoomKey(number=number)).members}


def test_the_store_and_acs_hold_the_same_roster_after_changes(
    services: Services, emulator: RunningEmulator
) -> None:
    room = services.rooms.create(new_room(services)).room
    key, organizer = RoomKey(number=room.number), Actor("U1")
    services.changes.add_members(WS, key, organizer, {"U3": Role.CONSUMER, "U2": Role.COLLABORATOR})
    services.changes.remove_members(WS, key, organizer, ["U3"])
    stored = services.rooms.get(WS, key)
    in_acs = emulator.snapshot()[stored.acs_room_id].participants
    assert {m.acs_id: m.role.value for m in stored.members} == dict(in_acs)
    assert roster(services, room.number) == {"U1": Role.PRESENTER, "U2": Role.COLLABORATOR}


def test_the_windows_of_store_and_acs_agree_after_a_reschedule(
    services: Services, emulator: RunningEmulator
) -> None:
    room = services.rooms.create(new_room(services)).room
    start = services.clock().replace(microsecond=0) + timedelta(days=2)
    services.changes.reschedule(
        WS, RoomKey(number=1), Actor("U1"), start, start + timedelta(hours=3)
    )
    stored = services.rooms.get(WS, RoomKey(number=1))
    acs = emulator.snapshot()[room.acs_room_id]
    assert (stored.valid_from, stored.valid_until) == (acs.valid_from, acs.valid_until)
    assert stored.valid_from == start


def test_two_racing_submits_of_one_form_make_exactly_one_room(
    services: Services, emulator: RunningEmulator
) -> None:
    """Each submit reads "now" a moment apart; the second must still replay the first."""
    first = new_room(services)
    later = timedelta(seconds=1)
    second = new_room(
        services,
        creation_key=first.creation_key,
        valid_from=first.valid_from + later,
        valid_until=first.valid_until + later,
    )
    before = set(emulator.snapshot())
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(services.rooms.create, [first, second]))
    assert len(set(emulator.snapshot()) - before) == 1
    assert {r.room.acs_room_id for r in results} == set(emulator.snapshot()) - before
    assert sorted(r.is_new for r in results) == [False, True]
