"""Stopping the HTTP server: no new connections, but requests in flight are answered."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.run_modes.http_server import HttpServer
from tests.bot.run_modes.helpers import http, wait_until


class SlowApp:
    """A WSGI app whose answers wait until the test releases them."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.entered.set()
        self.release.wait(10)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"finished"]


def refuses_connections(port: int) -> bool:
    """True once the listener is gone. A connect that races the listener's close can be
    reset (it was queued on the closing socket) rather than refused: both mean it is gone."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except (ConnectionRefusedError, ConnectionResetError):
        return True
    return False


@pytest.fixture
def pool() -> Iterable[ThreadPoolExecutor]:
    with ThreadPoolExecutor(2) as executor:
        yield executor


def test_a_request_in_flight_is_answered_after_stop_began(pool: ThreadPoolExecutor) -> None:
    app = SlowApp()
    server = HttpServer(host="127.0.0.1", port=0)
    server.start(app)
    answer = pool.submit(http, f"http://127.0.0.1:{server.port}/slow")
    assert app.entered.wait(10)
    stopped = pool.submit(server.stop, 10)
    wait_until(lambda: refuses_connections(server.port))
    app.release.set()
    assert (answer.result(10).status, answer.result().body) == (200, "finished")
    assert stopped.result(10) is True


def test_stop_gives_up_on_a_request_that_outlasts_the_grace_period() -> None:
    app = SlowApp()
    server = HttpServer(host="127.0.0.1", port=0)
    server.start(app)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(http, f"http://127.0.0.1:{server.port}/slow")
        assert app.entered.wait(10)
        try:
            assert server.stop(grace_s=0.1) is False
        finally:
            app.release.set()


def test_an_idle_server_stops_at_once_and_frees_its_port() -> None:
    server = HttpServer(host="127.0.0.1", port=0)
    server.start(SlowApp())
    assert server.stop() is True
    assert refuses_connections(server.port)
