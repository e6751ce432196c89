"""A loop in a daemon thread: what the reminder and reconcile loops share."""

from __future__ import annotations

import threading


class BackgroundLoop:
    """Runs `run_forever(stop)` in a daemon thread named `thread_name` until `stop()`."""

    thread_name = "loop"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_forever(self, stop: threading.Event) -> None:
        raise NotImplementedError

    def start_in_thread(self) -> threading.Thread:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self.run_forever, args=(self._stop,), name=self.thread_name, daemon=True
        )
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
