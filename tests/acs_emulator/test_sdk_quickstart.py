"""The Rooms quickstart, run unmodified through the official Python SDKs against the emulator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from azure.communication.identity import CommunicationIdentityClient
from azure.communication.rooms import ParticipantRole, RoomParticipant, RoomsClient
from azure.core.exceptions import ResourceNotFoundError

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator


def run_quickstart(rooms: RoomsClient, identity: CommunicationIdentityClient) -> None:
    presenter, attendee, consumer = (identity.create_user() for _ in range(3))
    created = rooms.create_room(
        participants=[
            RoomParticipant(communication_identifier=presenter, role=ParticipantRole.PRESENTER),
            RoomParticipant(communication_identifier=attendee, role=ParticipantRole.ATTENDEE),
        ]
    )
    assert rooms.get_room(created.id).id == created.id

    valid_until = datetime.now(UTC) + timedelta(days=30)
    updated = rooms.update_room(
        room_id=created.id, valid_until=valid_until, pstn_dial_out_enabled=True
    )
    assert updated.pstn_dial_out_enabled is True
    assert updated.valid_until.startswith(valid_until.strftime("%Y-%m-%dT%H:%M:%S"))
    assert created.id in [room.id for room in rooms.list_rooms()]

    rooms.add_or_update_participants(
        room_id=created.id,
        participants=[
            RoomParticipant(communication_identifier=attendee, role=ParticipantRole.CONSUMER),
            RoomParticipant(communication_identifier=consumer, role=ParticipantRole.CONSUMER),
        ],
    )
    listed = [
        (p.communication_identifier.raw_id, p.role) for p in rooms.list_participants(created.id)
    ]
    assert listed == [
        (presenter.raw_id, ParticipantRole.PRESENTER),
        (attendee.raw_id, ParticipantRole.CONSUMER),
        (consumer.raw_id, ParticipantRole.CONSUMER),
    ]

    rooms.remove_participants(room_id=created.id, participants=[attendee])
    remaining = [p.communication_identifier.raw_id for p in rooms.list_participants(created.id)]
    assert remaining == [presenter.raw_id, consumer.raw_id]

    rooms.delete_room(room_id=created.id)
    with pytest.raises(ResourceNotFoundError):
        rooms.get_room(created.id)


def test_quickstart_runs_against_an_explicit_http_endpoint(
    emulator: RunningEmulator,
    make_rooms_client: Callable[..., RoomsClient],
    make_identity_client: Callable[..., CommunicationIdentityClient],
) -> None:
    run_quickstart(make_rooms_client(emulator), make_identity_client(emulator))

    assert emulator.snapshot() == {}


def test_quickstart_runs_through_from_connection_string_over_tls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with start_emulator(EmulatorConfig(tls=True)) as emulator:
        assert emulator.cert_path is not None
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(emulator.cert_path))
        identity = CommunicationIdentityClient.from_connection_string(emulator.connection_string)
        with RoomsClient.from_connection_string(emulator.connection_string) as rooms:
            run_quickstart(rooms, identity)

    assert emulator.connection_string.startswith("endpoint=https://127.0.0.1:")
