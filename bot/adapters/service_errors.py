"""Read ACS error bodies and classify 400s (window rules, participants, room ids).

The Rooms SDK raises a bare `HttpResponseError`, the Identity SDK one with a model; both carry
the HTTP response, so the JSON body (ACS_REST.md §2.8) is read from there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from time import time
from typing import TYPE_CHECKING, Any

from bot.services.errors import (
    AcsRequestFailed,
    ParticipantInvalid,
    RoomBotError,
    RoomNotFound,
    WindowInvalid,
)

if TYPE_CHECKING:
    from azure.core.exceptions import HttpResponseError

# (phrase in the service's detail message, rule, input field, what to tell the user) (§2.4)
_WINDOW_RULES = (
    ("larger than 180 days", WindowInvalid.TOO_LONG, "valid_until",
     "a room can be open for at most 180 days, and must end after it starts"),
    ("end is in the past", WindowInvalid.END_IN_PAST, "valid_until",
     "the end time is already in the past"),
    ("180 days in the future", WindowInvalid.START_TOO_FAR, "valid_from",
     "the start is more than 180 days from now"),
)  # fmt: skip
_ROLES = "Presenter, Attendee, Consumer or Collaborator"
_SECRETS = re.compile(
    r"(accesskey=|signature=|bearer\s+)\S+|eyJ[\w-]+\.[\w-]+\.[\w-]*", re.IGNORECASE
)
_MAX_SHOWN = 300


@dataclass(frozen=True)
class ServiceError:
    status: int
    code: str
    message: str
    details: tuple[tuple[str, str], ...]  # (message, target) of each detail
    retry_after: float | None

    @property
    def summary(self) -> str:
        """The service's own words, one line, sanitised: top message then each detail."""
        parts = [self.message, *(message for message, _ in self.details)]
        text = sanitise(" ".join(p for p in parts if p)).rstrip(".")
        return text or self.code or "no reason given"

    def mentions(self, *needles: str) -> bool:
        text = " ".join([self.message, *(f"{m} {t}" for m, t in self.details)]).lower()
        return any(needle in text for needle in needles)


def read_service_error(exc: HttpResponseError) -> ServiceError:
    body = _error_object(exc)
    details = body.get("details")
    if not isinstance(details, list):
        details = []
    return ServiceError(
        status=int(exc.status_code or 0),
        code=str(body.get("code") or ""),
        message=str(body.get("message") or ""),
        details=tuple(
            (str(d.get("message") or ""), str(d.get("target") or ""))
            for d in details
            if isinstance(d, dict)
        ),
        retry_after=_retry_after(exc),
    )


def bad_request(error: ServiceError, *, room_id: str | None) -> RoomBotError:
    for phrase, rule, field, explanation in _WINDOW_RULES:
        if error.mentions(phrase):
            return WindowInvalid(
                f"ACS refused the time window: {explanation}.", rule=rule, field=field
            )
    if room_id is not None and error.mentions("room id"):
        return RoomNotFound(f"ACS has no room {room_id}: that is not a valid room id.")
    if error.mentions("participant", "identifier", "role", "rawid"):
        return ParticipantInvalid(_participant_message(error), field="participants")
    return AcsRequestFailed(f"ACS refused the request: {error.summary}.")


def _participant_message(error: ServiceError) -> str:
    if error.mentions("role"):
        return f"ACS refused a participant role; roles are {_ROLES}. ({error.summary})"
    if error.mentions("too many", "maximum", "exceed", "limit"):
        return (
            f"ACS refused the roster: the room would have too many participants. ({error.summary})"
        )
    return (
        "ACS refused a participant: only ACS user ids (8:acs:...) from this resource can join "
        f"a room. ({error.summary})"
    )


def sanitise(text: str) -> str:
    """One line, no credentials or tokens, at most a few hundred characters."""
    line = _SECRETS.sub("<redacted>", " ".join(text.split()))
    return line if len(line) <= _MAX_SHOWN else line[: _MAX_SHOWN - 1] + "…"


def _error_object(exc: HttpResponseError) -> dict[str, Any]:
    try:
        body = json.loads(exc.response.text()) if exc.response is not None else None
    except (ValueError, TypeError, AttributeError):
        return {"message": str(exc.reason or "")}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {"message": str(exc.reason or "")}


def _retry_after(exc: HttpResponseError) -> float | None:
    headers = getattr(exc.response, "headers", None) or {}
    lowered = {str(name).lower(): str(value) for name, value in headers.items()}
    for name, scale in (("retry-after-ms", 1000.0), ("x-ms-retry-after-ms", 1000.0)):
        if name in lowered:
            return _seconds(lowered[name], scale)
    return _seconds(lowered["retry-after"], 1.0) if "retry-after" in lowered else None


def _seconds(value: str, scale: float) -> float | None:
    try:
        return max(0.0, float(value) / scale)
    except ValueError:
        pass
    try:  # Retry-After may be an HTTP date
        return max(0.0, parsedate_to_datetime(value).timestamp() - time())
    except (TypeError, ValueError):
        return None
