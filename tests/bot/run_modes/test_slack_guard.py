"""The guard on its own, under any WSGI server: it never reads more of a body than it must.

(Under `roombot serve`, waitress refuses these bodies before the guard sees them; see
test_hostile_requests.py.)"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from bot.run_modes.slack_guard import SlackGuard

LIMIT = 1024 * 1024


class EndlessBody:
    """A request body that never ends, counting what was read of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "read without a size: the whole body"
        self.read_bytes += size
        return b"x" * size


def never_called(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    raise AssertionError("the guard let the request through")


def guarded(environ: dict[str, Any]) -> list[str]:
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        statuses.append(status)

    guard = SlackGuard(never_called, "guard-test-secret", path="/slack/events")
    request = {"REQUEST_METHOD": "POST", "PATH_INFO": "/slack/events", **environ}
    guard(request, start_response)  # type: ignore[arg-type]
    return statuses


@pytest.mark.parametrize("length", ["", "not-a-number"])
def test_a_body_without_a_usable_length_is_read_one_byte_past_the_limit_then_refused(
    length: str,
) -> None:
    body = EndlessBody()
    assert guarded({"wsgi.input": body, "CONTENT_LENGTH": length}) == [
        "413 Request Entity Too Large"
    ]
    assert body.read_bytes == LIMIT + 1


def test_a_declared_length_over_the_limit_is_refused_without_reading() -> None:
    body = EndlessBody()
    declared = str(50 * 1024 * 1024)
    assert guarded({"wsgi.input": body, "CONTENT_LENGTH": declared}) == [
        "413 Request Entity Too Large"
    ]
    assert body.read_bytes == 0
