"""Every domain error, provoked through the real SDKs and the emulator."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from acs_emulator import RunningEmulator
from bot.adapters.acs import AcsIdentityGateway, AcsRoomsGateway
from bot.services.domain import Role
from bot.services.errors import (
    ConfigurationError,
    CredentialsRejected,
    ParticipantInvalid,
    RoomNotFound,
    ServiceUnreachable,
    Throttled,
    WindowInvalid,
)

GatewayFactory = Callable[..., tuple[AcsRoomsGateway, AcsIdentityGateway]]
EmulatorFactory = Callable[..., RunningEmulator]

UNKNOWN_ROOM = "99999999999999999"


def create(
    rooms: AcsRoomsGateway,
    start: timedelta,
    length: timedelta,
    participants: dict[str, Role] | None = None,
) -> None:
    valid_from = datetime.now(UTC) + start
    rooms.create_room(
        valid_from=valid_from,
        valid_until=valid_from + length,
        pstn_dial_out_enabled=False,
        participants=participants or {},
        request_id=str(uuid.uuid4()),
    )


def test_an_unknown_room_is_room_not_found(rooms: AcsRoomsGateway) -> None:
    with pytest.raises(RoomNotFound, match=UNKNOWN_ROOM):
        rooms.get_room(UNKNOWN_ROOM)


def test_updating_a_deleted_room_is_room_not_found(rooms: AcsRoomsGateway) -> None:
    start = datetime.now(UTC) + timedelta(hours=1)
    room = rooms.create_room(
        valid_from=start,
        valid_until=start + timedelta(days=1),
        pstn_dial_out_enabled=False,
        participants={},
        request_id=str(uuid.uuid4()),
    )
    rooms.delete_room(room.id)
    with pytest.raises(RoomNotFound):
        rooms.update_room(room.id, pstn_dial_out_enabled=True)


def test_a_malformed_room_id_is_room_not_found(rooms: AcsRoomsGateway) -> None:
    with pytest.raises(RoomNotFound):
        rooms.list_participants("123")


@pytest.mark.parametrize(
    ("start", "length", "rule"),
    [
        (timedelta(hours=1), timedelta(days=181), WindowInvalid.TOO_LONG),
        (timedelta(days=-3), timedelta(days=1), WindowInvalid.END_IN_PAST),
        (timedelta(days=181), timedelta(days=1), WindowInvalid.START_TOO_FAR),
    ],
)
def test_each_broken_window_rule_is_window_invalid_with_that_rule(
    rooms: AcsRoomsGateway, start: timedelta, length: timedelta, rule: str
) -> None:
    with pytest.raises(WindowInvalid) as caught:
        create(rooms, start, length)
    assert caught.value.rule == rule


def test_a_non_acs_participant_id_is_participant_invalid(rooms: AcsRoomsGateway) -> None:
    with pytest.raises(ParticipantInvalid, match="8:acs:"):
        create(rooms, timedelta(hours=1), timedelta(days=1), {"4:+14255550123": Role.ATTENDEE})


def test_adding_a_malformed_id_to_a_room_is_participant_invalid(rooms: AcsRoomsGateway) -> None:
    start = datetime.now(UTC) + timedelta(hours=1)
    room = rooms.create_room(
        valid_from=start,
        valid_until=start + timedelta(days=1),
        pstn_dial_out_enabled=False,
        participants={},
        request_id=str(uuid.uuid4()),
    )
    with pytest.raises(ParticipantInvalid):
        rooms.upsert_participants(room.id, {"wrong_mri": Role.ATTENDEE})


def test_too_many_participants_is_participant_invalid(
    own_emulator: EmulatorFactory, make_gateways: GatewayFactory
) -> None:
    emulator = own_emulator(max_participants=2)
    rooms, identity = make_gateways(connection_string=emulator.connection_string)
    roster = {identity.create_identity(): Role.ATTENDEE for _ in range(3)}
    with pytest.raises(ParticipantInvalid, match="too many"):
        create(rooms, timedelta(hours=1), timedelta(days=1), roster)


def test_constant_throttling_ends_in_throttled_within_the_deadline(
    own_emulator: EmulatorFactory, make_gateways: GatewayFactory
) -> None:
    emulator = own_emulator(throttle_rate=1.0)  # answers 429 with Retry-After: 1
    rooms, _ = make_gateways(connection_string=emulator.connection_string, timeout_s=1.5)
    started = time.monotonic()
    with pytest.raises(Throttled) as caught:
        rooms.get_room(UNKNOWN_ROOM)
    assert time.monotonic() - started < 1.5
    assert (emulator.request_count(), caught.value.retry_after) == (2, 1.0)


def test_a_retry_after_beyond_the_budget_fails_fast_without_retrying(
    own_emulator: EmulatorFactory, make_gateways: GatewayFactory
) -> None:
    emulator = own_emulator(throttle_rate=1.0)
    _, identity = make_gateways(connection_string=emulator.connection_string, timeout_s=0.5)
    started = time.monotonic()
    with pytest.raises(Throttled):
        identity.create_identity()
    assert time.monotonic() - started < 0.5
    assert emulator.request_count() == 1


def test_server_errors_on_every_attempt_are_service_unreachable(
    own_emulator: EmulatorFactory, make_gateways: GatewayFactory
) -> None:
    emulator = own_emulator(error_rate=1.0)
    rooms, _ = make_gateways(connection_string=emulator.connection_string)
    with pytest.raises(ServiceUnreachable, match="HTTP 50"):
        rooms.get_room(UNKNOWN_ROOM)
    assert emulator.request_count() == 5  # the first attempt and four retries


def test_a_create_failing_with_server_errors_is_retried_then_unreachable(
    own_emulator: EmulatorFactory, make_gateways: GatewayFactory
) -> None:
    emulator = own_emulator(error_rate=1.0)
    rooms, _ = make_gateways(connection_string=emulator.connection_string)
    with pytest.raises(ServiceUnreachable):
        create(rooms, timedelta(hours=1), timedelta(days=1))
    assert emulator.request_count() == 5


def test_a_closed_port_is_service_unreachable(
    closed_port: int, make_gateways: GatewayFactory
) -> None:
    key = base64.b64encode(b"k" * 32).decode()
    rooms, _ = make_gateways(
        connection_string=f"endpoint=http://127.0.0.1:{closed_port}/;accesskey={key}"
    )
    with pytest.raises(ServiceUnreachable, match="refused"):
        rooms.probe()


def test_a_slow_answer_beyond_the_budget_is_service_unreachable(
    own_emulator: EmulatorFactory, make_gateways: GatewayFactory
) -> None:
    emulator = own_emulator(latency_ms=700)
    rooms, _ = make_gateways(connection_string=emulator.connection_string, timeout_s=0.3)
    started = time.monotonic()
    with pytest.raises(ServiceUnreachable, match="in time"):
        rooms.get_room(UNKNOWN_ROOM)
    assert time.monotonic() - started < 0.6


def test_a_wrong_key_is_credentials_rejected_without_retrying(
    emulator: RunningEmulator, make_gateways: GatewayFactory
) -> None:
    wrong = base64.b64encode(b"not the emulator's key").decode()
    _, identity = make_gateways(
        connection_string=f"endpoint={emulator.endpoint}/;accesskey={wrong}"
    )
    before = emulator.request_count()
    with pytest.raises(CredentialsRejected, match="ACS_CONNECTION_STRING"):
        identity.create_identity()
    assert emulator.request_count() == before + 1


def test_a_malformed_connection_string_is_a_configuration_error_without_the_key(
    emulator: RunningEmulator, make_gateways: GatewayFactory
) -> None:
    broken = f"endpoint={emulator.endpoint}/;accesskey={emulator.access_key[:-3]}"
    rooms, _ = make_gateways(connection_string=broken)
    with pytest.raises(ConfigurationError) as caught:
        rooms.get_room(UNKNOWN_ROOM)
    assert emulator.access_key[:-3] not in caught.value.message
    assert "accesskey" in caught.value.message


def test_identity_calls_raise_the_configuration_error_too(make_gateways: GatewayFactory) -> None:
    _, identity = make_gateways(connection_string="endpoint=https://x.communication.azure.com/")
    with pytest.raises(ConfigurationError, match="no accesskey"):
        identity.create_identity()
