"""Fault injection: latency, 5xx, 429 + Retry-After; seeded; faults never change state."""

from __future__ import annotations

from collections.abc import Callable
from time import perf_counter

import pytest
from azure.communication.rooms import RoomsClient
from azure.core.exceptions import HttpResponseError

from acs_emulator import EmulatorConfig, start_emulator

ROOMS = "?api-version=2025-03-13"


def test_throttled_requests_get_429_with_a_retry_after_header(make_raw) -> None:
    with start_emulator(EmulatorConfig(throttle_rate=1.0)) as emulator:
        response = make_raw(emulator).send("GET", f"/rooms{ROOMS}")

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert response.json()["error"]["code"] == "TooManyRequests"


def test_error_rate_answers_500_or_503_with_an_error_body(make_raw) -> None:
    with start_emulator(EmulatorConfig(error_rate=1.0)) as emulator:
        responses = [make_raw(emulator).send("GET", f"/rooms{ROOMS}") for _ in range(10)]

    assert {r.status_code for r in responses} <= {500, 503}
    assert all(
        r.json()["error"]["code"] in {"InternalServerError", "ServiceUnavailable"}
        for r in responses
    )


def test_sdk_without_retries_raises_on_an_injected_server_error(
    make_rooms_client: Callable[..., RoomsClient],
) -> None:
    with start_emulator(EmulatorConfig(error_rate=1.0)) as emulator:
        rooms = make_rooms_client(emulator, retry_total=0)
        with pytest.raises(HttpResponseError) as raised:
            rooms.create_room()

    assert raised.value.status_code in {500, 503}


@pytest.mark.parametrize("faults", [{"error_rate": 1.0}, {"throttle_rate": 1.0}])
def test_a_faulted_create_creates_nothing(make_raw, faults: dict[str, float]) -> None:
    with start_emulator(EmulatorConfig(**faults)) as emulator:  # type: ignore[arg-type]
        make_raw(emulator).send("POST", f"/rooms{ROOMS}", {})

        assert emulator.snapshot() == {}


def test_latency_is_added_to_every_request(make_raw) -> None:
    with start_emulator(EmulatorConfig(latency_ms=150)) as emulator:
        raw = make_raw(emulator)
        started = perf_counter()
        raw.send("GET", f"/rooms{ROOMS}")
        elapsed = perf_counter() - started

    assert elapsed >= 0.15


def test_faults_can_be_changed_while_running(make_raw) -> None:
    with start_emulator(EmulatorConfig(error_rate=1.0)) as emulator:
        raw = make_raw(emulator)
        before = raw.send("POST", f"/rooms{ROOMS}", {}).status_code
        emulator.set_faults(error_rate=0.0, throttle_rate=1.0)
        during = raw.send("POST", f"/rooms{ROOMS}", {}).status_code
        emulator.set_faults(throttle_rate=0.0)
        after = raw.send("POST", f"/rooms{ROOMS}", {}).status_code

    assert (before in {500, 503}, during, after) == (True, 429, 201)


def test_the_same_seed_gives_the_same_fault_sequence(make_raw) -> None:
    def statuses() -> list[int]:
        with start_emulator(EmulatorConfig(error_rate=0.3, throttle_rate=0.3, seed=7)) as emulator:
            raw = make_raw(emulator)
            return [raw.send("GET", f"/rooms{ROOMS}").status_code for _ in range(30)]

    first, second = statuses(), statuses()

    assert first == second
    assert {200, 429} <= set(first)


def test_faulted_requests_are_counted(make_raw) -> None:
    with start_emulator(EmulatorConfig(throttle_rate=1.0)) as emulator:
        raw = make_raw(emulator)
        for _ in range(3):
            raw.send("GET", f"/rooms{ROOMS}")

        assert emulator.request_count() == 3
