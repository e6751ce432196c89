"""The HTTP/1.1 layer: keep-alive, odd clients, TLS mistakes, and a stop that closes everything."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from azure.communication.rooms import RoomsClient
from azure.core.exceptions import ServiceRequestError

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator

ROOMS = "?api-version=2025-03-13"


def exchange(emulator: RunningEmulator, data: bytes) -> bytes:
    """Send raw bytes (over TLS on a TLS emulator); read until the server closes (or 5 s pass)."""
    host, port = emulator.endpoint.split("://")[1].rsplit(":", 1)
    connection = socket.create_connection((host, int(port)), timeout=5)
    if emulator.cert_path is not None:
        context = ssl.create_default_context(cafile=str(emulator.cert_path))
        connection = context.wrap_socket(connection, server_hostname=host)
    with connection:
        connection.sendall(data)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def plain() -> Iterator[RunningEmulator]:
    with start_emulator() as emulator:
        yield emulator


@pytest.fixture
def tls() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(tls=True)) as emulator:
        yield emulator


def test_http_1_0_request_is_answered_and_the_connection_closed(plain: RunningEmulator) -> None:
    answer = exchange(plain, b"GET /rooms HTTP/1.0\r\nHost: x\r\n\r\n")

    assert answer.startswith(b"HTTP/1.1 401 Unauthorized\r\n")
    assert b"\r\nConnection: close\r\n" in answer


@pytest.mark.parametrize("server", ["plain", "tls"])
def test_two_pipelined_requests_on_one_connection_both_get_answers(
    server: str, request: pytest.FixtureRequest
) -> None:
    """The connection stays open after an answer (HTTP/1.1 keep-alive), on both listeners."""
    one = b"GET /rooms HTTP/1.1\r\nHost: x\r\n\r\n"

    answer = exchange(
        request.getfixturevalue(server),
        one + one.replace(b"Host: x", b"Host: x\r\nConnection: close"),
    )

    assert answer.count(b"HTTP/1.1 401 Unauthorized\r\n") == 2


def test_expect_100_continue_gets_a_continue_before_the_answer(plain: RunningEmulator) -> None:
    request = (
        b"POST /rooms HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
        b"Expect: 100-continue\r\nConnection: close\r\n\r\n{}"
    )

    answer = exchange(plain, request)

    assert answer.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 ")


@pytest.mark.parametrize("server", ["plain", "tls"])
def test_chunked_body_is_refused_with_411(server: str, request: pytest.FixtureRequest) -> None:
    answer = exchange(
        request.getfixturevalue(server),
        b"POST /rooms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"2\r\n{}\r\n0\r\n\r\n",
    )

    assert answer.startswith(b"HTTP/1.1 411 ")


@pytest.mark.parametrize("server", ["plain", "tls"])
def test_garbage_request_line_is_400(server: str, request: pytest.FixtureRequest) -> None:
    assert exchange(request.getfixturevalue(server), b"HELLO\r\n\r\n").startswith(b"HTTP/1.1 400 ")


def test_signature_covers_a_leading_double_slash_as_sent(raw) -> None:
    """http.server collapses a leading "//" in the path it hands on; the client signed it."""
    response = raw.send("GET", f"//rooms{ROOMS}")

    assert response.request.path_url == f"//rooms{ROOMS}"
    assert response.status_code == 200


def test_tls_hello_on_the_plain_port_is_answered_with_a_plain_400_at_once(
    plain: RunningEmulator,
) -> None:
    answer = exchange(plain, b"\x16\x03\x01\x00\x05hello")

    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"--tls" in answer


def test_sdk_from_connection_string_on_a_plain_port_fails_fast(plain: RunningEmulator) -> None:
    started = time.monotonic()
    rooms = RoomsClient.from_connection_string(plain.connection_string, retry_total=0)
    with rooms, pytest.raises(ServiceRequestError):
        rooms.get_room("99410424610840801")

    assert time.monotonic() - started < 5


def test_client_rejecting_the_certificate_does_not_break_the_tls_server() -> None:
    with start_emulator(EmulatorConfig(tls=True)) as emulator, requests.Session() as session:
        with pytest.raises(requests.exceptions.SSLError):
            session.get(f"{emulator.endpoint}/rooms{ROOMS}", timeout=5)
        trusted = session.get(
            f"{emulator.endpoint}/rooms{ROOMS}", timeout=5, verify=str(emulator.cert_path)
        )

    assert trusted.status_code == 401  # reached the API: unsigned


def test_tls_certificate_is_for_the_loopback_address() -> None:
    with start_emulator(EmulatorConfig(tls=True)) as emulator:
        context = ssl.create_default_context(cafile=str(emulator.cert_path))
        port = int(emulator.endpoint.rsplit(":", 1)[1])
        raw_socket = socket.create_connection(("127.0.0.1", port), timeout=5)
        with raw_socket, context.wrap_socket(raw_socket, server_hostname="127.0.0.1") as secured:
            version = secured.version()

    assert version in {"TLSv1.2", "TLSv1.3"}


@pytest.mark.parametrize("use_tls", [False, True], ids=["plain", "tls"])
def test_stop_closes_idle_keep_alive_connections_promptly(use_tls: bool) -> None:
    threads_before = threading.active_count()
    emulator = start_emulator(EmulatorConfig(tls=use_tls))
    verify = str(emulator.cert_path) if use_tls else True
    with requests.Session() as session:
        session.get(f"{emulator.endpoint}/rooms{ROOMS}", timeout=5, verify=verify)
        started = time.monotonic()
        emulator.stop()
        stop_seconds = time.monotonic() - started

    assert stop_seconds < 2
    assert threading.active_count() == threads_before


def test_stop_twice_is_harmless(plain: RunningEmulator) -> None:
    plain.stop()
    plain.stop()

    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{plain.endpoint}/rooms{ROOMS}", timeout=2)


def test_request_logging_writes_one_line_per_request(capsys: pytest.CaptureFixture[str]) -> None:
    with start_emulator(EmulatorConfig(log_requests=True)) as emulator:
        exchange(emulator, b"GET /rooms HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")

    assert capsys.readouterr().err == "GET /rooms -> 401\n"


def test_no_request_logging_by_default(
    plain: RunningEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    exchange(plain, b"GET /rooms HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")

    assert capsys.readouterr() == ("", "")
