"""Create idempotency per the ACS "Repeatability of requests" page (OASIS Repeatable Requests 1.0).

A new id within the 5-minute tracking window runs the create and answers
`Repeatability-Result: accepted`; the same id with the same body replays that first answer (also
`accepted`: the state reflects a single execution). Rejections (`Repeatability-Result: rejected`):
400 for a malformed id or first-sent date, or an id reused with a different body; 412 when the
first-sent time is older than the window. Only successful creates are remembered: a rejected
create changed nothing, so running it again is equivalent.
"""

from __future__ import annotations

import re
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from acs_emulator.errors import ApiError
from acs_emulator.records import RememberedResponse
from acs_emulator.timefmt import TICKS_PER_SECOND
from acs_emulator.wire import JSON_UTF8, Request, Response

if TYPE_CHECKING:
    from acs_emulator.transaction import Transaction

WINDOW_TICKS = 5 * 60 * TICKS_PER_SECOND
MAX_REMEMBERED = 10_000
_TRIM_EVERY = 500  # creates between size trims (the trim scans the table)
_GUID = re.compile(r"\{?[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}\}?")


class Repeatability:
    def __init__(self) -> None:
        self._remembered_since_trim = 0

    @staticmethod
    def result(request: Request) -> str | None:
        return "accepted" if _request_id(request) else None

    def replay(self, tx: Transaction, request: Request, fingerprint: str) -> Response | None:
        """The answer remembered for a repeated id, None for a new one; raises rejections."""
        request_id = _request_id(request)
        if not request_id:
            return None
        _first_sent(request)  # validates
        entry = tx.remembered(request_id)
        if entry is None:
            return None
        if entry.fingerprint != fingerprint:
            raise _rejected(400, "BadRequest", "The repeated request does not match the original.")
        headers = {"Content-Type": JSON_UTF8, "Repeatability-Result": "accepted"}
        return Response(entry.status, entry.body, headers | _location(entry.location))

    def remember(
        self, tx: Transaction, request: Request, fingerprint: str, response: Response
    ) -> None:
        request_id = _request_id(request)
        if not request_id:
            return
        first_sent = _first_sent(request)
        location = response.headers.get("Location")
        tx.remember(
            RememberedResponse(
                request_id, fingerprint, first_sent, response.status, response.body, location
            )
        )
        self._forget_old(tx)

    def _forget_old(self, tx: Transaction) -> None:
        tx.forget_repeatability_before(_wall_clock_ticks() - WINDOW_TICKS)
        self._remembered_since_trim += 1
        if self._remembered_since_trim >= _TRIM_EVERY:
            self._remembered_since_trim = 0
            tx.keep_newest_repeatability(MAX_REMEMBERED)


def _request_id(request: Request) -> str:
    request_id = request.header("repeatability-request-id")
    if request_id and _GUID.fullmatch(request_id) is None:
        raise _rejected(400, "BadRequest", "Repeatability-Request-Id must be a GUID.")
    return request_id.strip("{}").lower()


def _first_sent(request: Request) -> int:
    """Ticks; a missing header counts as "now" (lenient), an old one is outside the window.

    Compared with the real wall clock, not the injected one: the client stamps its own clock."""
    text = request.header("repeatability-first-sent")
    now = _wall_clock_ticks()
    if not text:
        return now
    try:
        sent = int(parsedate_to_datetime(text).timestamp() * TICKS_PER_SECOND)
    except (TypeError, ValueError, IndexError):
        raise _rejected(
            400, "BadRequest", "Repeatability-First-Sent is not a valid date."
        ) from None
    if sent < now - WINDOW_TICKS:
        message = "Repeatability-First-Sent is outside the 5 minute tracking window."
        raise _rejected(412, "PreconditionFailed", message)
    return sent


def _rejected(status: int, code: str, message: str) -> ApiError:
    return ApiError(status, code, message, headers={"Repeatability-Result": "rejected"})


def _location(location: str | None) -> dict[str, str]:
    return {} if location is None else {"Location": location}


def _wall_clock_ticks() -> int:
    return time.time_ns() // 100
