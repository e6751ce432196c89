"""Fixtures for `roombot serve`: the real server on a loopback port, fed signed HTTP requests,
with the Slack stand-in, the ACS emulator and this test's database behind it."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import SecretStr

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.adapters.acs import make_acs_gateways
from bot.app import assemble
from bot.config import Settings
from bot.run_modes.process import Options, Process, ProcessKind
from bot.run_modes.serve import listen, serve_process
from bot.services.ports import IdentityGateway, RoomsGateway
from slack_standin import RunningStandin
from tests.bot.run_modes.helpers import SIGNING_SECRET, HttpSlack
from tests.support.slack_stack import FAST_RETRY

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "server-test-client-secret"


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=11)) as running:
        yield running


def settings_for(
    standin: RunningStandin, acs_connection_string: str, database_url: str, **extra: Any
) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        slack_api_url=standin.base_url,
        acs_connection_string=SecretStr(acs_connection_string),
        database_url=database_url,
        **extra,
    )


def single_workspace(standin: RunningStandin, emulator: RunningEmulator, url: str) -> Settings:
    token = SecretStr(standin.bot_token)
    return settings_for(standin, emulator.connection_string, url, slack_bot_token=token)


def multi_workspace(standin: RunningStandin, emulator: RunningEmulator, url: str) -> Settings:
    secret = SecretStr(CLIENT_SECRET)
    return settings_for(
        standin,
        emulator.connection_string,
        url,
        slack_client_id=CLIENT_ID,
        slack_client_secret=secret,
    )


@dataclass
class Served:
    url: str
    runtime: Process

    def slack(self, team_id: str, **options: Any) -> HttpSlack:
        return HttpSlack(self.url, team_id=team_id, **options)


def fast_gateways(connection_string: str) -> tuple[RoomsGateway, IdentityGateway]:
    return make_acs_gateways(connection_string=connection_string, retry=FAST_RETRY)


@contextmanager
def serving(
    settings: Settings, gateways: tuple[RoomsGateway, IdentityGateway] | None = None
) -> Iterator[Served]:
    """`roombot serve` in this process, on a free loopback port, until the block ends."""
    gateways = gateways or fast_gateways(_secret(settings.acs_connection_string))
    runtime = assemble(settings, ProcessKind.SERVING, Options(gateways=gateways))
    runtime.services.closers.extend(gateway.close for gateway in gateways)  # type: ignore[attr-defined]
    stop, ports = threading.Event(), queue.Queue[int]()
    server = listen("127.0.0.1", 0)
    secret = _secret(settings.slack_signing_secret)
    options = {"stop": stop, "on_listening": ports.put, "signing_secret": secret}
    thread = threading.Thread(target=serve_process, args=(runtime, server), kwargs=options)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{ports.get(timeout=10)}", runtime)
    finally:
        stop.set()
        thread.join(timeout=60)


def _secret(value: SecretStr | None) -> str:
    assert value is not None
    return value.get_secret_value()


@pytest.fixture
def server(standin: RunningStandin, emulator: RunningEmulator, engine_url: str) -> Iterator[Served]:
    with serving(single_workspace(standin, emulator, engine_url)) as served:
        yield served


@pytest.fixture
def oauth_server(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str
) -> Iterator[Served]:
    with serving(multi_workspace(standin, emulator, engine_url)) as served:
        yield served


@pytest.fixture
def emulator_connection(emulator: RunningEmulator) -> str:
    return emulator.connection_string
