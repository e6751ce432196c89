"""Rooms and identities through the gateways, the official SDKs and the emulator."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.adapters.acs import AcsIdentityGateway, AcsRoomsGateway
from bot.services.domain import AcsParticipant, AcsRoom, Role
from bot.services.errors import AcsRequestFailed, RoomNotFound

GatewayFactory = Callable[..., tuple[AcsRoomsGateway, AcsIdentityGateway]]
EmulatorFactory = Callable[..., RunningEmulator]


def new_room(
    rooms: AcsRoomsGateway, participants: dict[str, Role] | None = None, *, pstn: bool = False
) -> AcsRoom:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    return rooms.create_room(
        valid_from=start,
        valid_until=start + timedelta(days=2),
        pstn_dial_out_enabled=pstn,
        participants=participants or {},
        request_id=str(uuid.uuid4()),
    )


def test_the_emulator_endpoint_is_plain_http(emulator: RunningEmulator) -> None:
    assert emulator.connection_string.startswith("endpoint=http://127.0.0.1:")


def test_a_created_room_has_the_requested_window_as_aware_datetimes(
    rooms: AcsRoomsGateway,
) -> None:
    start = datetime.now(UTC) + timedelta(days=1)
    room = rooms.create_room(
        valid_from=start,
        valid_until=start + timedelta(days=2),
        pstn_dial_out_enabled=True,
        participants={},
        request_id=str(uuid.uuid4()),
    )
    assert (room.valid_from, room.valid_until) == (start, start + timedelta(days=2))
    assert room.created_at.tzinfo is UTC
    assert room.created_at < start


def test_a_created_room_holds_the_roster_with_roles(
    rooms: AcsRoomsGateway, identity: AcsIdentityGateway, emulator: RunningEmulator
) -> None:
    alice, bob = identity.create_identity(), identity.create_identity()
    room = new_room(rooms, {alice: Role.PRESENTER, bob: Role.COLLABORATOR})
    assert emulator.snapshot()[room.id].participants == {alice: "Presenter", bob: "Collaborator"}


def test_get_room_returns_what_create_returned(rooms: AcsRoomsGateway) -> None:
    room = new_room(rooms)
    assert rooms.get_room(room.id) == room


def test_update_room_changes_only_the_fields_given(rooms: AcsRoomsGateway) -> None:
    room = new_room(rooms, pstn=True)
    later = room.valid_until + timedelta(days=1)
    updated = rooms.update_room(room.id, valid_until=later)
    assert (updated.valid_from, updated.valid_until) == (room.valid_from, later)
    assert updated.pstn_dial_out_enabled is True


def test_update_room_can_turn_pstn_off(rooms: AcsRoomsGateway) -> None:
    room = new_room(rooms, pstn=True)
    assert rooms.update_room(room.id, pstn_dial_out_enabled=False).pstn_dial_out_enabled is False


def test_list_rooms_follows_every_page(
    own_emulator: EmulatorFactory, make_gateways: GatewayFactory
) -> None:
    emulator = own_emulator(page_size=2)
    rooms, _ = make_gateways(connection_string=emulator.connection_string)
    created = {new_room(rooms).id for _ in range(5)}
    assert {room.id for room in rooms.list_rooms()} == created


def test_upserted_participants_keep_order_and_take_new_roles(
    rooms: AcsRoomsGateway, identity: AcsIdentityGateway
) -> None:
    alice, bob = identity.create_identity(), identity.create_identity()
    room = new_room(rooms, {alice: Role.ATTENDEE})
    rooms.upsert_participants(room.id, {alice: Role.CONSUMER, bob: Role.PRESENTER})
    assert rooms.list_participants(room.id) == [
        AcsParticipant(alice, Role.CONSUMER),
        AcsParticipant(bob, Role.PRESENTER),
    ]


def test_removed_participants_leave_the_room(
    rooms: AcsRoomsGateway, identity: AcsIdentityGateway
) -> None:
    alice, bob = identity.create_identity(), identity.create_identity()
    room = new_room(rooms, {alice: Role.ATTENDEE, bob: Role.ATTENDEE})
    rooms.remove_participants(room.id, [alice])
    assert rooms.list_participants(room.id) == [AcsParticipant(bob, Role.ATTENDEE)]


def test_a_deleted_room_is_gone(rooms: AcsRoomsGateway, emulator: RunningEmulator) -> None:
    room = new_room(rooms)
    rooms.delete_room(room.id)
    assert room.id not in emulator.snapshot()


def test_deleting_a_room_twice_is_not_an_error(rooms: AcsRoomsGateway) -> None:
    room = new_room(rooms)
    rooms.delete_room(room.id)
    rooms.delete_room(room.id)
    with pytest.raises(RoomNotFound):
        rooms.get_room(room.id)


def test_probe_succeeds_against_a_healthy_emulator(rooms: AcsRoomsGateway) -> None:
    rooms.probe()


def test_a_created_identity_is_a_raw_acs_id(
    identity: AcsIdentityGateway, emulator: RunningEmulator
) -> None:
    acs_id = identity.create_identity()
    assert acs_id.startswith("8:acs:")
    assert acs_id in emulator.identities()


def test_a_voip_token_expires_when_asked_as_an_aware_datetime(
    identity: AcsIdentityGateway,
) -> None:
    acs_id = identity.create_identity()
    token = identity.issue_voip_token(acs_id, expires_in=timedelta(hours=1))
    expected = datetime.now(UTC) + timedelta(hours=1)
    assert abs(token.expires_on - expected) < timedelta(minutes=1)
    assert token.token.count(".") == 2  # a JWT


def test_a_voip_token_defaults_to_a_day(identity: AcsIdentityGateway) -> None:
    token = identity.issue_voip_token(identity.create_identity())
    assert abs(token.expires_on - (datetime.now(UTC) + timedelta(days=1))) < timedelta(minutes=1)


def test_revoking_tokens_succeeds_for_a_known_identity(identity: AcsIdentityGateway) -> None:
    acs_id = identity.create_identity()
    identity.issue_voip_token(acs_id)
    identity.revoke_tokens(acs_id)


def test_a_deleted_identity_is_gone_and_deleting_again_is_fine(
    identity: AcsIdentityGateway, emulator: RunningEmulator
) -> None:
    acs_id = identity.create_identity()
    identity.delete_identity(acs_id)
    identity.delete_identity(acs_id)
    assert acs_id not in emulator.identities()


def test_a_deleted_identity_gets_no_token(identity: AcsIdentityGateway) -> None:
    acs_id = identity.create_identity()
    identity.delete_identity(acs_id)
    with pytest.raises(AcsRequestFailed, match="no identity"):
        identity.issue_voip_token(acs_id)


def test_neither_the_access_key_nor_a_token_reaches_the_logs(
    emulator: RunningEmulator,
    rooms: AcsRoomsGateway,
    identity: AcsIdentityGateway,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    acs_id = identity.create_identity()
    token = identity.issue_voip_token(acs_id)
    new_room(rooms, {acs_id: Role.PRESENTER})
    assert caplog.records  # azure-core did log the requests
    assert emulator.access_key not in caplog.text
    assert token.token not in caplog.text


def test_the_round_trip_works_over_tls_from_an_https_connection_string(
    monkeypatch: pytest.MonkeyPatch, make_gateways: GatewayFactory
) -> None:
    with start_emulator(EmulatorConfig(tls=True)) as tls_emulator:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls_emulator.cert_path))
        assert tls_emulator.connection_string.startswith("endpoint=https://")
        rooms, identity = make_gateways(connection_string=tls_emulator.connection_string)
        acs_id = identity.create_identity()
        room = new_room(rooms, {acs_id: Role.PRESENTER})
        assert rooms.list_participants(room.id) == [AcsParticipant(acs_id, Role.PRESENTER)]
        assert identity.issue_voip_token(acs_id).token
        rooms.delete_room(room.id)
        assert tls_emulator.snapshot() == {}
