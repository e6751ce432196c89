"""Ids and message timestamps shaped like Slack's."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable

Clock = Callable[[], float]

_TS_STEP = 100
_TS_LIMIT = 1_000_000


class IdMaker:
    """Sequential ids with Slack's type prefixes: `V…` views, `F…` files, `R…` responses."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def new(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}0{next(self._counter):08X}"


class TsSource:
    """Message ts values: "1700000000.000100" style, unique and strictly increasing.

    Slack's ts is both the message id and its time, and apps sort by it, so two posts in the
    same clock second must still get distinct, ordered values; a clock stepping back is ignored.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._second = 0
        self._micros = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            now = int(self._clock())
            if now > self._second:
                self._second, self._micros = now, 0
            self._micros += _TS_STEP
            if self._micros >= _TS_LIMIT:
                self._second, self._micros = self._second + 1, _TS_STEP
            return f"{self._second}.{self._micros:06d}"
