"""Turn every Azure SDK / transport error into a domain error a Slack user can act on.

No azure type leaves `bot.adapters`: `guard()` re-raises domain errors `from None`, and the
service's own text is reduced to one sanitised line before it is shown to anyone.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)

from bot.adapters.service_errors import ServiceError, bad_request, read_service_error, sanitise
from bot.services.errors import (
    AcsRequestFailed,
    CredentialsRejected,
    RoomBotError,
    RoomNotFound,
    ServiceUnreachable,
    Throttled,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

_LOG = logging.getLogger(__name__)

KEY_HINT = "ACS rejected RoomBot's credentials; an admin must check ACS_CONNECTION_STRING."
ENTRA_HINT = (
    "ACS rejected RoomBot's Entra ID credentials; an admin must check the managed identity or "
    "service principal and its role on the ACS resource."
)

# Substrings of transport errors, most specific first, and what they mean to an operator.
_TRANSPORT_REASONS = (
    (("certificate", "ssl", "tls"), "the TLS handshake failed"),
    (("timed out", "timeout"), "it did not answer in time"),
    (("refused",), "the connection was refused"),
    (("name or service", "nodename", "getaddrinfo", "resolve"), "its host name did not resolve"),
)


@dataclass(frozen=True)
class ErrorTranslator:
    """Knows where ACS is and how RoomBot authenticates, to say what to fix."""

    endpoint: str
    auth_hint: str = KEY_HINT

    @contextmanager
    def guard(
        self, *, room_id: str | None = None, acs_id: str | None = None, missing_ok: bool = False
    ) -> Iterator[None]:
        """Translate Azure errors raised in the block; `missing_ok` swallows a 404."""
        try:
            yield
        except AzureError as exc:
            if missing_ok and getattr(exc, "status_code", None) == 404:
                return
            # Type and status only: service text may echo ids, never worth a log line of its own.
            _LOG.info("ACS call failed: %s %s", type(exc).__name__, getattr(exc, "status_code", ""))
            raise self.translate(exc, room_id=room_id, acs_id=acs_id) from None

    def translate(
        self, exc: Exception, *, room_id: str | None = None, acs_id: str | None = None
    ) -> RoomBotError:
        if isinstance(exc, ClientAuthenticationError):
            return CredentialsRejected(self.auth_hint)
        if isinstance(exc, ServiceRequestError | ServiceResponseError):
            return self.unreachable(_transport_reason(exc))
        if isinstance(exc, HttpResponseError) and exc.status_code:
            return self._from_status(read_service_error(exc), room_id=room_id, acs_id=acs_id)
        return AcsRequestFailed(f"ACS request failed: {sanitise(str(exc)) or type(exc).__name__}.")

    def unreachable(self, reason: str) -> ServiceUnreachable:
        return ServiceUnreachable(
            f"RoomBot could not reach ACS at {self.endpoint}: {reason}. Try again in a minute; "
            "if it keeps failing, an admin should check the ACS endpoint and the network."
        )

    def _from_status(
        self, error: ServiceError, *, room_id: str | None, acs_id: str | None
    ) -> RoomBotError:
        status = error.status
        if status in (401, 403):
            return CredentialsRejected(self.auth_hint)
        if status == 404:
            return _not_found(room_id=room_id, acs_id=acs_id)
        if status == 429:
            return _throttled(error.retry_after)
        if status == 408 or status >= 500:
            return self.unreachable(f"it kept failing (HTTP {status}) after retries")
        if status == 400:
            return bad_request(error, room_id=room_id)
        return AcsRequestFailed(f"ACS refused the request (HTTP {status}): {error.summary}.")


def _not_found(*, room_id: str | None, acs_id: str | None) -> RoomBotError:
    if room_id is not None:
        return RoomNotFound(f"ACS has no room {room_id}; it was deleted or has expired.")
    who = f" {acs_id}" if acs_id else ""
    return AcsRequestFailed(f"ACS has no identity{who}; it may have been deleted.")


def _throttled(retry_after: float | None) -> Throttled:
    wait = f" Try again in {max(1, round(retry_after))} s." if retry_after else " Try again soon."
    return Throttled(f"ACS is rate limiting RoomBot right now.{wait}", retry_after=retry_after)


def _transport_reason(exc: AzureError) -> str:
    text = f"{type(exc).__name__} {exc}".lower()
    for needles, reason in _TRANSPORT_REASONS:
        if any(needle in text for needle in needles):
            return reason
    return "the connection failed"
