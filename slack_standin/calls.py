"""The record of what reached the stand-in, and a way to wait for it without sleeping."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackCall:
    """One Web API call (or response_url POST, method `response_url`) as Slack received it.

    `args` has JSON-valued fields (`blocks`, `view`, ...) decoded whatever the transport, and
    never the token. `error` is the Slack error code when the call failed.
    """

    method: str
    args: dict[str, Any]
    token: str | None = field(repr=False)  # kept out of repr so a failing assert never shows it
    at: float
    status: int = 200
    error: str | None = None
    response: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def reasons(self) -> list[str]:
        """Why Slack refused the call, as its `response_metadata.messages` word it."""
        metadata = self.response.get("response_metadata") or {}
        return [str(m) for m in metadata.get("messages") or []] if not self.ok else []


Listener = Callable[[SlackCall], None]


class CallLog:
    """Thread-safe: server threads append, tests and the console read and wait."""

    def __init__(self) -> None:
        self._calls: list[SlackCall] = []
        self._changed = threading.Condition()
        self._listeners: list[Listener] = []

    def record(self, call: SlackCall) -> None:
        with self._changed:
            self._calls.append(call)
            listeners = list(self._listeners)
            self._changed.notify_all()
        # Listeners run outside the lock so they may read the stand-in (e.g. render messages).
        for listener in listeners:
            _notify(listener, call)

    def calls(self, method: str | None = None) -> list[SlackCall]:
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(
        self,
        method: str,
        predicate: Callable[[SlackCall], bool] | None = None,
        timeout: float = 5.0,
    ) -> SlackCall:
        """The first recorded call to `method` matching `predicate`, waiting up to `timeout`."""
        with self._changed:
            found = self._changed.wait_for(lambda: self._find(method, predicate), timeout)
            if found is None:
                raise AssertionError(self._timeout_message(method, timeout))
            return found

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every call recorded from now on; returns an unsubscribe."""
        with self._changed:
            self._listeners.append(listener)
        return lambda: self._unsubscribe(listener)

    def clear(self) -> None:
        with self._changed:
            self._calls.clear()

    def _find(self, method: str, predicate: Callable[[SlackCall], bool] | None) -> SlackCall | None:
        for call in self._calls:
            if call.method == method and (predicate is None or predicate(call)):
                return call
        return None

    def _timeout_message(self, method: str, timeout: float) -> str:
        recent = [_summary(c) for c in self._calls[-10:]] or ["(none)"]
        lines = "\n  ".join(recent)
        return f"no matching {method} call within {timeout}s; recent calls:\n  {lines}"

    def _unsubscribe(self, listener: Listener) -> None:
        with self._changed:
            if listener in self._listeners:
                self._listeners.remove(listener)


def _summary(call: SlackCall) -> str:
    outcome = "ok" if call.ok else f"error={call.error}"
    keys = {k: call.args[k] for k in ("channel", "user", "user_id", "ts", "text") if k in call.args}
    reasons = f" {call.reasons}" if call.reasons else ""
    return f"{call.method} {outcome} {keys}{reasons}"


def _notify(listener: Listener, call: SlackCall) -> None:
    try:
        listener(call)
    except Exception:
        # A broken listener (say, the console's printer) must not turn into a Slack error.
        logger.exception("slack stand-in listener failed on %s", call.method)
