"""What a hostile client does to `roombot serve`, at the socket level where urllib cannot."""

from __future__ import annotations

import hashlib
import hmac
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from tests.bot.run_modes.helpers import SIGNING_SECRET


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    return parts.hostname, parts.port


def signed_bytes(body: bytes, *, at: float | None = None) -> dict[str, str]:
    """Slack's signature over raw bytes, computed here by hand (the SDK wants text)."""
    stamp = str(int(time.time() if at is None else at))
    base = b"v0:" + stamp.encode() + b":" + body
    digest = hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def request_head(headers: dict[str, str]) -> bytes:
    lines = ["POST /slack/events HTTP/1.1", "Host: roombot.test", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def status_code(conn: socket.socket) -> int:
    """The answer's status, read as soon as its first line arrives."""
    received = b""
    while b"\r\n" not in received:
        chunk = conn.recv(4096)
        if not chunk:
            break
        received += chunk
    return int(received.split(b" ", 2)[1])


@contextmanager
def slow_connections(url: str, count: int) -> Iterator[list[socket.socket]]:
    """`count` connections held open: half never send a byte, half stop in mid-headers."""
    held: list[socket.socket] = []
    try:
        for index in range(count):
            conn = socket.create_connection(address(url), timeout=5)
            held.append(conn)
            if index % 2:
                conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: roombot.test\r\nX-Slow: a")
        yield held
    finally:
        for conn in held:
            conn.close()


def still_open(conn: socket.socket) -> bool:
    """True while the server has neither closed nor answered the connection."""
    conn.setblocking(False)
    try:
        conn.recv(1, socket.MSG_PEEK)  # an answer, or b"" for a close
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        conn.setblocking(True)
    return False


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> bool:
    return not any(r.exc_info for r in caplog.records) and "Traceback" not in caplog.text
