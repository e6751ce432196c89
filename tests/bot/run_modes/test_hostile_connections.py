"""Slow and idle connections must not starve Slack's requests, nor hold up a stop."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterable
from typing import Any

from bot.run_modes.http_server import HttpServer
from slack_standin import RunningStandin
from tests.bot.run_modes.conftest import Served
from tests.bot.run_modes.helpers import http, wait_until
from tests.bot.run_modes.hostile import slow_connections, still_open
from tests.bot.run_modes.test_http_endpoints import ana_types


def seconds_for(action: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def test_200_slow_connections_do_not_starve_healthz_or_a_signed_command(
    server: Served, standin: RunningStandin
) -> None:
    slack = server.slack(standin.workspace.team_id)
    assert ana_types(slack, standin, "help").status == 200  # warm: the first request costs more
    with slow_connections(server.url, 200) as held:
        health, health_s = seconds_for(lambda: http(f"{server.url}/healthz"))
        command, command_s = seconds_for(lambda: ana_types(slack, standin, "help"))
        assert all(still_open(conn) for conn in held)  # they were really held meanwhile
    assert (health.status, command.status) == (200, 200)
    assert health_s <= 1.0
    assert command_s <= 1.0


def hello(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def test_a_connection_idle_past_the_timeout_is_closed() -> None:
    server = HttpServer(host="127.0.0.1", port=0, idle_timeout_s=1)
    server.start(hello)
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as idle:
            wait_until(lambda: not still_open(idle), timeout=10)
            assert idle.recv(1) == b""  # closed, with nothing said
    finally:
        server.stop(grace_s=1)


def test_stop_does_not_wait_for_a_connection_that_never_finishes_its_request() -> None:
    server = HttpServer(host="127.0.0.1", port=0)
    server.start(hello)
    url = f"http://127.0.0.1:{server.port}"
    with slow_connections(url, 2):
        assert http(f"{url}/").body == "hello"  # the slow ones are in before the stop begins
        drained, took = seconds_for(lambda: server.stop(grace_s=10))
    assert drained is True
    assert took < 5
