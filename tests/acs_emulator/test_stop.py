"""`roombot acs-emulator` stops on SIGTERM every time, promptly, even while answering requests."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTS = 20  # a stop that fails now and then needs many tries to show
LOAD_THREADS = 4
ANSWERS_BEFORE_SIGTERM = 20  # so requests are in flight when the signal lands
EXIT_WITHIN_SECONDS = 3


class Load:
    """Threads sending requests back to back on keep-alive connections until the block ends.
    Unsigned requests are enough: a 401 goes through the same connection handling."""

    def __init__(self, endpoint: str) -> None:
        address = urlsplit(endpoint)
        self._host, self._port = address.hostname or "", address.port or 80
        self._stopping = threading.Event()
        self._answers = threading.Semaphore(0)
        self._threads = [
            threading.Thread(target=self._send_until_stopped, daemon=True)
            for _ in range(LOAD_THREADS)
        ]

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=10)

    def wait_for_answers(self, count: int) -> None:
        for _ in range(count):
            assert self._answers.acquire(timeout=10), "the emulator stopped answering"

    def _send_until_stopped(self) -> None:
        while not self._stopping.is_set():
            connection = http.client.HTTPConnection(self._host, self._port, timeout=5)
            try:
                self._send_on(connection)
            except (OSError, http.client.HTTPException):
                pass  # the emulator is stopping; reconnect until told to end
            finally:
                connection.close()

    def _send_on(self, connection: http.client.HTTPConnection) -> None:
        while not self._stopping.is_set():
            connection.request("GET", "/rooms?api-version=2025-03-13")
            connection.getresponse().read()
            self._answers.release()


def sigterm_while_busy() -> tuple[int | None, str]:
    """Start the emulator as `roombot acs-emulator` does, load it, SIGTERM it; the exit status
    (None if it did not stop in time) and its stderr."""
    command = [sys.executable, "-m", "bot", "acs-emulator", "--port", "0"]
    with subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        try:
            exit_code = _stop_under_load(process, process.stdout.readline())
        finally:
            if process.poll() is None:
                process.kill()  # a hung emulator must not outlive the test
        return exit_code, process.stderr.read()


def _stop_under_load(process: subprocess.Popen[str], first_line: str) -> int | None:
    assert first_line.startswith("endpoint=http://127.0.0.1:")
    endpoint = first_line.split(";")[0].removeprefix("endpoint=").rstrip("/")
    with Load(endpoint) as load:
        load.wait_for_answers(ANSWERS_BEFORE_SIGTERM)
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=EXIT_WITHIN_SECONDS)
        except subprocess.TimeoutExpired:
            return None


@pytest.mark.parametrize("start", range(1, STARTS + 1))
def test_sigterm_stops_a_busy_emulator_promptly_with_status_0_and_no_traceback(
    start: int,
) -> None:
    exit_code, errors = sigterm_while_busy()

    assert exit_code == 0, f"start {start}: exit {exit_code} (None: still running)\n{errors}"
    assert "Traceback" not in errors
