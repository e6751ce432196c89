"""Housekeeping done as a side effect of regular work, at most once per interval per process:
it needs no thread of its own."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime, timedelta


class SweepSchedule:
    def __init__(self, every: timedelta) -> None:
        self._every = every
        self._next: datetime | None = None
        self._lock = threading.Lock()

    def due(self, now: datetime) -> bool:
        """True at most once per interval: the caller that gets it sweeps."""
        with self._lock:
            if self._next is not None and now < self._next:
                return False
            self._next = now + self._every
            return True
