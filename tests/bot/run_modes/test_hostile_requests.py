"""`roombot serve` against bodies nobody should send: refused before anything parses them, with
one log line each and never a traceback."""

from __future__ import annotations

import logging
import socket
import time
from http.client import HTTPConnection

import pytest

from tests.bot.run_modes.conftest import Served
from tests.bot.run_modes.helpers import http
from tests.bot.run_modes.hostile import (
    address,
    no_tracebacks,
    request_head,
    signed_bytes,
    status_code,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
LIMIT = 1024 * 1024

# Each is what Bolt once failed on with HTTP 500 and a traceback, unsigned or not.
MALFORMED = [
    pytest.param(b"payload=x", FORM, id="payload=x"),
    pytest.param(b'{"type": "event_callback", ', JSON, id="JSON garbage"),
    pytest.param(b"text=caf\xe9&command=/room", FORM, id="not UTF-8"),
    pytest.param(b"[1, 2, 3]", JSON, id="JSON that is not an object"),
    pytest.param(b"payload=%5B%5D", FORM, id="payload that is not an object"),
]


def post(server: Served, body: bytes, content_type: str, headers: dict[str, str]) -> int:
    sent = {"Content-Type": content_type, **headers}
    return http(f"{server.url}/slack/events", data=body, headers=sent).status


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "roombot.requests"]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
def test_an_unsigned_malformed_body_gets_401_with_one_log_line_and_no_traceback(
    server: Served, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    caplog.set_level(logging.INFO)
    assert post(server, body, content_type, {}) == 401
    [line] = request_lines(caplog)
    assert "outcome=rejected status=401" in line.getMessage()
    assert "reason=unsigned" in line.getMessage()
    assert no_tracebacks(caplog)


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
def test_a_signed_malformed_body_gets_400_with_one_warning_and_no_traceback(
    server: Served, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    caplog.set_level(logging.INFO)
    assert post(server, body, content_type, signed_bytes(body)) == 400
    [line] = request_lines(caplog)
    assert line.levelno == logging.WARNING
    assert "outcome=malformed status=400" in line.getMessage()
    assert no_tracebacks(caplog)


def test_a_badly_signed_body_that_is_not_utf8_gets_401_not_an_error(server: Served) -> None:
    body = b"text=caf\xe9"
    headers = {**signed_bytes(body), "X-Slack-Signature": "v0=" + "0" * 64}
    assert post(server, body, FORM, headers) == 401


def test_a_stale_request_gets_401_and_the_log_says_stale(
    server: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    body = b"command=/room&text=help"
    assert post(server, body, FORM, signed_bytes(body, at=time.time() - 301)) == 401
    [line] = request_lines(caplog)
    assert "reason=stale" in line.getMessage()


def test_a_signature_header_with_non_ascii_bytes_gets_401(server: Served) -> None:
    body = b"command=/room&text=help"
    with socket.create_connection(address(server.url), timeout=5) as conn:
        head = request_head({**signed_bytes(body), "Content-Length": str(len(body))})
        conn.sendall(head.replace(b"X-Slack-Signature: v0=", b"X-Slack-Signature: v0=\xff") + body)
        assert status_code(conn) == 401


def test_a_50_mb_body_is_refused_with_413_before_it_is_sent(server: Served) -> None:
    head = request_head({"Content-Type": JSON, "Content-Length": str(50 * 1024 * 1024)})
    with socket.create_connection(address(server.url), timeout=5) as conn:
        conn.sendall(head + b"{" * 1024)  # the rest never comes: the answer must not wait for it
        assert status_code(conn) == 413


def test_a_chunked_body_over_1_mb_is_refused_with_413(server: Served) -> None:
    head = request_head({"Content-Type": JSON, "Transfer-Encoding": "chunked"})
    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
    with socket.create_connection(address(server.url), timeout=5) as conn:
        conn.sendall(head + chunk * (LIMIT // (64 * 1024) + 1))
        assert status_code(conn) == 413


def test_headers_over_32_kb_are_refused_with_431(server: Served) -> None:
    head = request_head({"Content-Length": "0", "X-Padding": "p" * 33 * 1024})
    with socket.create_connection(address(server.url), timeout=5) as conn:
        conn.sendall(head)
        assert status_code(conn) == 431


def test_a_body_of_exactly_1_mb_is_not_refused_for_its_size(server: Served) -> None:
    body = b"text=" + b"x" * (LIMIT - 5)
    assert post(server, body, FORM, {}) == 401  # read, then refused for its missing signature


def test_head_healthz_answers_200_with_no_body(server: Served) -> None:
    connection = HTTPConnection(*address(server.url), timeout=5)
    try:
        connection.request("HEAD", "/healthz")
        answer = connection.getresponse()
        assert (answer.status, answer.read()) == (200, b"")
        assert answer.getheader("Content-Type") == "application/json"
    finally:
        connection.close()


def test_a_signed_url_verification_still_passes_the_guard(server: Served) -> None:
    body = b'{"type": "url_verification", "token": "unused", "challenge": "c-7"}'
    answer = http(
        f"{server.url}/slack/events",
        data=body,
        headers={"Content-Type": JSON, **signed_bytes(body)},
    )
    assert (answer.status, answer.json()) == (200, {"challenge": "c-7"})
