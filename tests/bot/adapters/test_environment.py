"""What the HTTP stack takes from the environment for ACS (proxies, NO_PROXY, the CA bundle)
is honoured, and read once, when a client is built, not again on every request."""

from __future__ import annotations

import pytest

from acs_emulator import RunningEmulator
from bot.services.errors import ServiceUnreachable
from tests.bot.adapters.conftest import GatewayFactory

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's own proxy settings stay out of these tests."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def test_a_proxy_in_the_environment_carries_the_acs_requests(
    monkeypatch: pytest.MonkeyPatch,
    emulator: RunningEmulator,
    make_gateways: GatewayFactory,
    closed_port: int,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port}")
    rooms, _identity = make_gateways(connection_string=emulator.connection_string)
    with pytest.raises(ServiceUnreachable):  # through a proxy that is not there
        rooms.probe()


def test_no_proxy_naming_the_endpoint_keeps_the_requests_direct(
    monkeypatch: pytest.MonkeyPatch,
    emulator: RunningEmulator,
    make_gateways: GatewayFactory,
    closed_port: int,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    rooms, identity = make_gateways(connection_string=emulator.connection_string)
    rooms.probe()
    assert identity.create_identity().startswith("8:acs:")


def test_the_environment_is_read_when_the_client_is_built(
    monkeypatch: pytest.MonkeyPatch,
    emulator: RunningEmulator,
    make_gateways: GatewayFactory,
    closed_port: int,
) -> None:
    rooms, _identity = make_gateways(connection_string=emulator.connection_string)
    rooms.probe()  # the client is built now, on first use
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port}")
    rooms.probe()  # still direct: as RoomBot's own settings, read once per process
