"""Plays Event Grid for one webhook subscription: the validation handshake, then each event in
its own POST (Event Grid schema, an array of one), at least once, in the order published.

One background thread drains one queue, so deliveries never hold up an HTTP answer and arrive in
order; a failing event holds back the ones behind it until it is delivered or given up (fine for
one local subscriber). The thread starts with the first webhook, not at import or construction.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
import uuid
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from acs_emulator.config import is_http_url
from acs_emulator.event_grid_schema import SUBSCRIPTION_NAME, validation_event
from acs_emulator.timefmt import now_ticks

if TYPE_CHECKING:
    from acs_emulator.timefmt import Clock

BACKOFF_SECONDS = (0.2, 0.5, 1.0, 2.0, 5.0)  # then 5 s; Azure's 10 s..1 h is too slow locally
MAX_ATTEMPTS = 10  # per event; about half a minute of trying
NOT_RETRIED = frozenset({400, 401, 403, 404, 413})  # Event Grid drops these at once
_TIMEOUT_SECONDS = 10
_log = logging.getLogger("acs_emulator.event_grid")
# Event Grid does not go through the subscriber's proxy; nor does a loopback webhook.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class DeliveryAttempt:
    """One POST: the event (or the handshake's validation event), which try, and the answer's
    HTTP status (None: no answer, e.g. connection refused)."""

    event_id: str
    event_type: str
    attempt: int
    status: int | None


class EventGridPublisher:
    def __init__(self, webhook: str | None = None, clock: Clock | None = None) -> None:
        self._clock = clock
        self._lock = threading.Condition()
        self._webhook = webhook
        self._validated = False
        self._queue: deque[dict[str, Any]] = deque()
        self._in_flight = 0  # taken off the queue, not yet delivered or given up
        self._attempts: list[DeliveryAttempt] = []
        self._stopping = False
        self._thread: threading.Thread | None = None

    @property
    def webhook(self) -> str | None:
        return self._webhook

    @property
    def validated(self) -> bool:
        return self._validated

    def set_webhook(self, url: str | None) -> None:
        """A new subscription (None: none): validated afresh before anything is delivered."""
        if url is not None and not is_http_url(url):
            raise ValueError(f"the Event Grid webhook must be an http(s) URL, not {url!r}")
        with self._lock:
            self._webhook, self._validated = url, False
            self._lock.notify_all()
        self._start_if_needed()

    def publish(self, event: dict[str, Any]) -> None:
        """Queue one event; dropped when no webhook is set, as with no subscription."""
        with self._lock:
            if self._webhook is None or self._stopping:
                return
            self._queue.append(event)
            self._lock.notify_all()
        self._start_if_needed()

    def drain(self, timeout: float) -> bool:
        """True once everything queued has been delivered or given up; False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._queue and not self._in_flight, timeout)

    def deliveries(self) -> list[DeliveryAttempt]:
        """Every POST so far, handshakes included, oldest first."""
        with self._lock:
            return list(self._attempts)

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=_TIMEOUT_SECONDS + 1)

    # The delivery thread -------------------------------------------------------------------

    def _start_if_needed(self) -> None:
        with self._lock:
            if self._thread is not None or self._webhook is None or self._stopping:
                return
            self._thread = threading.Thread(
                target=self._run, name="acs-emulator-event-grid", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while (event := self._next_event()) is not None:
            try:
                self._deliver(event)
            finally:
                with self._lock:
                    self._in_flight -= 1
                    self._lock.notify_all()

    def _next_event(self) -> dict[str, Any] | None:
        with self._lock:
            self._lock.wait_for(lambda: self._stopping or bool(self._queue))
            if self._stopping:
                return None
            self._in_flight += 1
            return self._queue.popleft()

    def _deliver(self, event: dict[str, Any]) -> None:
        """Up to MAX_ATTEMPTS tries; a changed webhook starts again with its own handshake."""
        attempt = 0
        while attempt < MAX_ATTEMPTS:
            webhook = self._validated_webhook()
            if webhook is None:
                return  # stopping, or the subscription was removed
            attempt += 1
            status = self._exchange(webhook, [event], "Notification", attempt)[0]
            self._record(event, attempt, status)
            if status is not None and 200 <= status < 300:
                return
            if status in NOT_RETRIED:
                _log.warning("Event Grid: %s answered %s; event %s dropped", shown(webhook),
                             status, event["id"])  # fmt: skip
                return
            if not self._pause(attempt):
                return  # stopping
        _log.warning("Event Grid: gave up on event %s after %d attempts", event["id"], attempt)

    def _validated_webhook(self) -> str | None:
        """The current webhook once it has passed the handshake (retried with backoff)."""
        failures = 0
        while True:
            with self._lock:
                webhook, validated = self._webhook, self._validated
                if self._stopping or webhook is None:
                    return None
            if validated:
                return webhook
            if self._handshake(webhook):
                with self._lock:
                    if self._webhook == webhook:
                        self._validated = True
                continue
            if failures == 0:
                _log.warning(
                    "Event Grid: %s failed the validation handshake; retrying", shown(webhook)
                )
            failures += 1
            if not self._pause(failures):
                return None

    def _handshake(self, webhook: str) -> bool:
        code = str(uuid.uuid4()).upper()
        event = validation_event(code, now_ticks(self._clock))
        status, body = self._exchange(webhook, [event], "SubscriptionValidation", 1)
        self._record(event, 1, status)
        if status != 200:
            return False
        try:
            answer = json.loads(body)
        except ValueError:
            return False
        return isinstance(answer, dict) and answer.get("validationResponse") == code

    def _exchange(
        self, webhook: str, events: list[dict[str, Any]], kind: str, attempt: int
    ) -> tuple[int | None, bytes]:
        request = urllib.request.Request(  # noqa: S310 (set_webhook admits only http(s) URLs)
            webhook,
            data=json.dumps(events).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "aeg-event-type": kind,
                "aeg-subscription-name": SUBSCRIPTION_NAME,
                "aeg-delivery-count": str(attempt),
                "aeg-data-version": str(events[0].get("dataVersion", "")),
                "aeg-metadata-version": "1",
            },
        )
        try:
            with _opener.open(request, timeout=_TIMEOUT_SECONDS) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read()
        except (OSError, ValueError):  # refused, reset, timed out, bad URL
            return None, b""

    def _record(self, event: dict[str, Any], attempt: int, status: int | None) -> None:
        with self._lock:
            self._attempts.append(DeliveryAttempt(event["id"], event["eventType"], attempt, status))

    def _pause(self, failures: int) -> bool:
        """Back off after the n-th failure, cut short by a new webhook (it gets tried at once);
        False when stopping."""
        delay = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS)) - 1]
        with self._lock:
            webhook = self._webhook
            self._lock.wait_for(lambda: self._stopping or self._webhook != webhook, delay)
            return not self._stopping


def shown(webhook: str) -> str:
    """The webhook without its query: its `code` is a secret, never logged."""
    parts = urlsplit(webhook)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
