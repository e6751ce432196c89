"""Arranged failures: the next N calls to a method answer with an error instead."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass
class Fault:
    error: str
    status: int = 200
    retry_after: int | None = None
    times: int = 1


class Faults:
    def __init__(self) -> None:
        self._pending: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()

    def arrange(self, method: str, fault: Fault) -> None:
        if fault.times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._pending.setdefault(method, []).append(fault)

    def take(self, method: str) -> Fault | None:
        """The fault due for this call, if any; each arranged fault is spent `times` calls."""
        with self._lock:
            queue = self._pending.get(method)
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times == 0:
                queue.pop(0)
            return fault

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()
