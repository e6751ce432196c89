"""Injected latency, 5xx errors and 429 throttling, decided before a request touches any state."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

from acs_emulator.errors import ApiError

RETRY_AFTER_SECONDS = 1


@dataclass
class FaultSettings:
    latency_ms: int = 0
    error_rate: float = 0.0
    throttle_rate: float = 0.0


class FaultInjector:
    """Seeded, so a given request sequence meets the same faults on every run."""

    def __init__(self, settings: FaultSettings, seed: int | None) -> None:
        self._settings = settings
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def update(
        self,
        latency_ms: int | None = None,
        error_rate: float | None = None,
        throttle_rate: float | None = None,
    ) -> None:
        with self._lock:
            current = self._settings
            self._settings = FaultSettings(
                current.latency_ms if latency_ms is None else latency_ms,
                current.error_rate if error_rate is None else error_rate,
                current.throttle_rate if throttle_rate is None else throttle_rate,
            )

    def apply(self) -> None:
        """Sleep the configured latency, then raise the fault this request draws, if any."""
        settings, throttle_draw, error_draw, kind_draw = self._draw()
        if settings.latency_ms > 0:
            time.sleep(settings.latency_ms / 1000)
        if throttle_draw < settings.throttle_rate:
            raise _throttled()
        if error_draw < settings.error_rate:
            raise _server_error(use_503=kind_draw < 0.5)

    def _draw(self) -> tuple[FaultSettings, float, float, float]:
        # Always three draws, so the sequence of outcomes does not depend on the rates in force.
        with self._lock:
            draws = (self._random.random(), self._random.random(), self._random.random())
            return (self._settings, *draws)


def _throttled() -> ApiError:
    return ApiError(
        429,
        "TooManyRequests",
        "Too many requests; retry later. (Injected by the ACS emulator.)",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _server_error(*, use_503: bool) -> ApiError:
    if use_503:
        return ApiError(
            503, "ServiceUnavailable", "The service is unavailable. (Injected by the ACS emulator.)"
        )
    return ApiError(
        500, "InternalServerError", "An internal error occurred. (Injected by the ACS emulator.)"
    )
