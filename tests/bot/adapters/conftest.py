"""Real SDK clients against the local ACS emulator on a loopback port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.adapters.acs import AcsIdentityGateway, AcsRoomsGateway, RetrySettings, make_acs_gateways

# Tiny pauses keep fault tests fast; the attempt count is the production one.
FAST_RETRY = RetrySettings(total=4, backoff_factor_s=0.01, backoff_max_s=0.02, connect_timeout_s=1)

Gateways = tuple[AcsRoomsGateway, AcsIdentityGateway]
GatewayFactory = Callable[..., Gateways]
EmulatorFactory = Callable[..., RunningEmulator]


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=1)) as running:
        yield running


@pytest.fixture
def make_gateways() -> Iterator[GatewayFactory]:
    """Builds gateways (fast retries unless told otherwise) and closes them after the test."""
    with ExitStack() as stack:

        def build(**options: Any) -> Gateways:
            options.setdefault("retry", FAST_RETRY)
            options.setdefault("timeout_s", 5.0)
            rooms, identity = make_acs_gateways(**options)
            stack.callback(rooms.close)
            stack.callback(identity.close)
            return rooms, identity

        yield build


@pytest.fixture
def gateways(emulator: RunningEmulator, make_gateways: GatewayFactory) -> Gateways:
    return make_gateways(connection_string=emulator.connection_string)


@pytest.fixture
def rooms(gateways: Gateways) -> AcsRoomsGateway:
    return gateways[0]


@pytest.fixture
def identity(gateways: Gateways) -> AcsIdentityGateway:
    return gateways[1]


@pytest.fixture
def own_emulator() -> Iterator[EmulatorFactory]:
    """A dedicated emulator per test, for faults and limits that must not leak into others."""
    with ExitStack() as stack:

        def start(**config: Any) -> RunningEmulator:
            config.setdefault("seed", 1)
            return stack.enter_context(start_emulator(EmulatorConfig(**config)))

        yield start
