"""Emulator settings, validated in one place for both the Python API and the CLI."""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from pathlib import Path

    from acs_emulator.timefmt import Clock


@dataclass
class EmulatorConfig:
    host: str = "127.0.0.1"
    port: int = 0  # 0 = pick a free port
    access_key: str | None = None  # base64; generated when None
    data_dir: Path | None = None  # None = in memory
    tls: bool = False
    latency_ms: int = 0
    error_rate: float = 0.0
    throttle_rate: float = 0.0
    seed: int | None = None
    max_participants: int = 350
    page_size: int = 50
    clock_skew_minutes: int = 15
    clock: Clock | None = None  # "now" for room windows, createdAt and token expiry (tests)
    log_requests: bool = False  # one stderr line per request, for debugging
    event_grid_webhook: str | None = None  # where calling events go (Event Grid schema)

    def validate(self) -> None:
        """Raise ValueError with one readable sentence for the first bad setting."""
        for problem in self._problems():
            raise ValueError(problem)

    def _problems(self) -> list[str]:
        checks = [
            (0 <= self.port <= 65535, f"port must be 0-65535, not {self.port}"),
            (self.latency_ms >= 0, f"latency-ms must be >= 0, not {self.latency_ms}"),
            (0.0 <= self.error_rate <= 1.0, f"error-rate must be 0-1, not {self.error_rate}"),
            (0.0 <= self.throttle_rate <= 1.0,
             f"throttle-rate must be 0-1, not {self.throttle_rate}"),
            (self.max_participants >= 1, "max-participants must be >= 1"),
            (self.page_size >= 1, "page-size must be >= 1"),
            (self.clock_skew_minutes >= 0, "clock-skew-minutes must be >= 0"),
            (self.access_key is None or is_access_key(self.access_key),
             "access-key must be non-empty base64"),
            (self.event_grid_webhook is None or is_http_url(self.event_grid_webhook),
             "event-grid-webhook must be an http:// or https:// URL"),
        ]  # fmt: skip
        return [message for ok, message in checks if not ok]


def is_access_key(text: str) -> bool:
    try:
        return bool(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        return False


def is_http_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def generated_access_key() -> str:
    """64 random bytes in base64, the shape of a real ACS key."""
    return base64.b64encode(secrets.token_bytes(64)).decode()
