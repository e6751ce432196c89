"""Bounded retries with one deadline per call, built on azure-core's RetryPolicy.

What azure-core 1.41's RetryPolicy does by itself (read from its source):
- retries 408/429/500/502/503/504 (and 506+) for GET/PUT/DELETE/HEAD/OPTIONS/TRACE, but POST and
  PATCH only on 500/503/504, and never after a transport error;
- retries ANY status >= 400 that carries Retry-After, and sleeps the full Retry-After, however
  long, before checking its `timeout`;
- the first retry is immediate, then `backoff_factor * 2**(n-1)`, capped at `backoff_max`;
- `timeout` bounds the connection timeout of each attempt but not the read timeout (300 s).

What RoomBot adds here: every ACS call RoomBot makes is safe to repeat, so POST and PATCH are
retried like reads (see `RETRYABLE_METHODS`); a retry whose pause would overrun the deadline is
not attempted (the caller gets the last answer, e.g. 429 -> Throttled, at once); pauses are cut
to the remaining budget; and each attempt's read timeout is cut to it too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from azure.core.pipeline.policies import RetryPolicy

if TYPE_CHECKING:
    from azure.core.pipeline import PipelineRequest, PipelineResponse

# Why POST and PATCH are safe to repeat, call by call:
# - create room: every attempt carries the caller's Repeatability-Request-ID, so ACS makes one room;
# - update room, upsert/remove participants: the body sets absolute values (idempotent by value);
# - issue token: a second token is harmless; revoke tokens: idempotent;
# - create identity: a lost reply can leave one orphan identity with no data and no tokens, a
#   better outcome than telling the user to retry by hand (which would do the same).
RETRYABLE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE", "PUT", "POST", "PATCH"})
RETRYABLE_STATUSES = (408, 429, 500, 502, 503, 504)


@dataclass(frozen=True)
class RetrySettings:
    """Attempts and pauses. The defaults sleep at most 5.4 s in all, leaving most of a 10 s
    budget for the attempts themselves."""

    total: int = 4  # at most 5 attempts
    backoff_factor_s: float = 0.4  # pauses 0, 0.8, 1.6, 3.0 s
    backoff_max_s: float = 3.0
    connect_timeout_s: float = 3.0


class DeadlineRetryPolicy(RetryPolicy[Any, Any]):
    """azure-core's RetryPolicy that never makes the caller wait past `timeout`."""

    def __init__(self, *, timeout_s: float, settings: RetrySettings) -> None:
        super().__init__(
            retry_total=settings.total,
            retry_connect=settings.total,
            retry_read=settings.total,
            retry_status=settings.total,
            retry_backoff_factor=settings.backoff_factor_s,
            retry_backoff_max=settings.backoff_max_s,
            retry_on_status_codes=list(RETRYABLE_STATUSES),
            timeout=timeout_s,
        )
        # azure-core reads its default method allow-list from this attribute in configure_retries.
        self._method_whitelist = RETRYABLE_METHODS
        self._read_timeout_s = timeout_s

    def configure_retries(self, options: dict[str, Any]) -> dict[str, Any]:
        settings: dict[str, Any] = super().configure_retries(options)
        settings["deadline"] = time.monotonic() + float(settings["timeout"])
        return settings

    def is_retry(self, settings: dict[str, Any], response: PipelineResponse[Any, Any]) -> bool:
        if not super().is_retry(settings, response):
            return False
        # Fail fast: a Retry-After or backoff longer than the budget left cannot help the user.
        failures = len(settings["history"]) + 1
        return self._pause(settings, response, failures) < _remaining(settings)

    def sleep(
        self,
        settings: dict[str, Any],
        transport: Any,
        response: PipelineResponse[Any, Any] | None = None,
    ) -> None:
        pause = min(self._pause(settings, response, len(settings["history"])), _remaining(settings))
        if pause > 0:
            transport.sleep(pause)

    def _configure_timeout(
        self, request: PipelineRequest[Any], absolute_timeout: float, is_response_error: bool
    ) -> None:
        super()._configure_timeout(request, absolute_timeout, is_response_error)
        # azure-core only trims the connect timeout; a slow reply must not outlive the budget.
        request.context.options["read_timeout"] = min(self._read_timeout_s, absolute_timeout)

    def _pause(
        self, settings: dict[str, Any], response: PipelineResponse[Any, Any] | None, failures: int
    ) -> float:
        retry_after = self.get_retry_after(response) if response is not None else None
        if retry_after:
            return float(retry_after)
        return float(self.get_backoff_time({**settings, "history": [None] * failures}))


def _remaining(settings: dict[str, Any]) -> float:
    return max(0.0, float(settings["deadline"]) - time.monotonic())
