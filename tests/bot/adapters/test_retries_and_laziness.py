"""Retries that help, creates that never duplicate, clients built lazily and once."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from acs_emulator import RunningEmulator
from bot.adapters.acs import AcsIdentityGateway, AcsRoomsGateway, RetrySettings
from bot.adapters.clients import Lazy
from bot.adapters.rooms import repeatability_id
from bot.services.domain import AcsRoom
from bot.services.errors import ConfigurationError, ServiceUnreachable

GatewayFactory = Callable[..., tuple[AcsRoomsGateway, AcsIdentityGateway]]
EmulatorFactory = Callable[..., RunningEmulator]

# Nine attempts at a 50% fault rate: a call fails only on nine faults in a row (p = 0.2%).
PATIENT = RetrySettings(total=8, backoff_factor_s=0.001, backoff_max_s=0.002)


def create(rooms: AcsRoomsGateway, request_id: str, start: datetime) -> AcsRoom:
    return rooms.create_room(
        valid_from=start,
        valid_until=start + timedelta(days=1),
        pstn_dial_out_enabled=False,
        participants={},
        request_id=request_id,
    )


@pytest.fixture
def flaky(own_emulator: EmulatorFactory) -> RunningEmulator:
    emulator: RunningEmulator = own_emulator(error_rate=0.5, seed=20240601)
    return emulator


def test_creates_succeed_through_a_fifty_percent_fault_rate(
    flaky: RunningEmulator, make_gateways: GatewayFactory
) -> None:
    rooms, _ = make_gateways(connection_string=flaky.connection_string, retry=PATIENT)
    start = datetime.now(UTC) + timedelta(hours=1)
    created = {create(rooms, str(uuid.uuid4()), start).id for _ in range(10)}
    assert set(flaky.snapshot()) == created


def test_reads_succeed_through_a_fifty_percent_fault_rate(
    flaky: RunningEmulator, make_gateways: GatewayFactory
) -> None:
    rooms, _ = make_gateways(connection_string=flaky.connection_string, retry=PATIENT)
    room = create(rooms, str(uuid.uuid4()), datetime.now(UTC) + timedelta(hours=1))
    assert all(rooms.get_room(room.id) == room for _ in range(10))


def test_the_same_request_id_never_makes_two_rooms_despite_faults(
    flaky: RunningEmulator, make_gateways: GatewayFactory
) -> None:
    rooms, _ = make_gateways(connection_string=flaky.connection_string, retry=PATIENT)
    start = datetime.now(UTC) + timedelta(hours=1)
    request_ids = [str(uuid.uuid4()) for _ in range(3)]
    first = [create(rooms, request_id, start).id for request_id in request_ids]
    again = [create(rooms, request_id, start).id for request_id in request_ids]
    assert first == again
    assert len(flaky.snapshot()) == 3


def test_a_request_id_that_is_not_a_uuid_still_makes_one_room(
    emulator: RunningEmulator, rooms: AcsRoomsGateway
) -> None:
    start = datetime.now(UTC) + timedelta(hours=1)
    request_id = f"slack-view-{uuid.uuid4()}"
    assert create(rooms, request_id, start).id == create(rooms, request_id, start).id


def test_repeatability_ids_are_stable_uuids() -> None:
    assert repeatability_id("slack-view-42") == repeatability_id("slack-view-42")
    assert uuid.UUID(repeatability_id("slack-view-42"))
    assert repeatability_id("{6F1D7A52-3C0E-4D7E-9A53-1B6A0C2E5F11}") == (
        "6f1d7a52-3c0e-4d7e-9a53-1b6a0c2e5f11"
    )


def test_building_gateways_for_an_unreachable_endpoint_does_not_raise(
    closed_port: int, make_gateways: GatewayFactory
) -> None:
    _, identity = make_gateways(
        connection_string=f"endpoint=http://127.0.0.1:{closed_port}/;accesskey=a2V5"
    )
    with pytest.raises(ServiceUnreachable):
        identity.create_identity()


def test_building_gateways_for_a_malformed_setting_does_not_raise(
    make_gateways: GatewayFactory,
) -> None:
    rooms, _ = make_gateways(connection_string="nonsense")
    with pytest.raises(ConfigurationError):
        rooms.probe()


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"connection_string": None}, "not both or neither"),
        ({"connection_string": "endpoint=https://x/;accesskey=a2V5", "endpoint": "https://x"},
         "not both or neither"),
        ({"connection_string": None, "endpoint": "http://127.0.0.1:1"}, "needs an https endpoint"),
        ({"connection_string": "endpoint=https://x/;accesskey=a2V5", "timeout_s": 0}, "positive"),
    ],
)  # fmt: skip
def test_inconsistent_settings_surface_as_configuration_errors(
    make_gateways: GatewayFactory, options: dict[str, object], problem: str
) -> None:
    rooms, _ = make_gateways(**options)
    with pytest.raises(ConfigurationError, match=problem):
        rooms.get_room("99999999999999999")


def test_an_entra_id_endpoint_builds_without_touching_azure(make_gateways: GatewayFactory) -> None:
    rooms, identity = make_gateways(
        connection_string=None, endpoint="https://x.communication.azure.com/"
    )
    assert isinstance(rooms, AcsRoomsGateway)
    assert isinstance(identity, AcsIdentityGateway)


def test_a_lazy_value_is_built_once_when_many_threads_ask_together() -> None:
    calls: list[int] = []
    barrier = threading.Barrier(16)

    def build() -> object:
        calls.append(1)
        return object()

    lazy = Lazy(build)

    def ask(_: int) -> object:
        barrier.wait()
        return lazy.get()

    with ThreadPoolExecutor(16) as pool:
        values = set(map(id, pool.map(ask, range(16))))
    assert (len(calls), len(values)) == (1, 1)


def test_many_threads_can_use_one_fresh_gateway_at_once(
    emulator: RunningEmulator, make_gateways: GatewayFactory
) -> None:
    _, identity = make_gateways(connection_string=emulator.connection_string)
    with ThreadPoolExecutor(24) as pool:
        created = set(pool.map(lambda _: identity.create_identity(), range(48)))
    assert len(created) == 48
    assert created <= emulator.identities()
