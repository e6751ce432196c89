"""`python -m acs_emulator` / `roombot acs-emulator`: run the emulator until SIGINT or SIGTERM.

The connection string is the first line on stdout once the port listens, so scripts can read
it; everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from acs_emulator.config import EmulatorConfig
from acs_emulator.server import RunningEmulator, start_emulator

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import FrameType

DEFAULT_PORT = 8765
_PROG = "acs-emulator"
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line on stderr and exit 2 (argparse's default also prints the usage block)."""
        self.exit(2, f"{_PROG}: error: {message}\n")


def main(argv: list[str] | None = None) -> int:
    try:
        arguments = _parser().parse_args(argv)
    except SystemExit as stop:  # --help (0) or a bad flag (2): return, so callers may go on
        return int(stop.code or 0)
    with _stop_signals() as stop_signal:  # before announcing: an early signal must not kill us
        emulator = _start(_config(arguments))
        if isinstance(emulator, int):
            return emulator
        with emulator:
            _announce(emulator)
            stop_signal.recv(1)  # returns once SIGINT or SIGTERM has arrived, even an early one
    return 0


def _start(config: EmulatorConfig) -> RunningEmulator | int:
    """The running emulator, or the exit code after one line on stderr."""
    try:
        return start_emulator(config)
    except ValueError as problem:
        print(f"{_PROG}: error: {problem}", file=sys.stderr)
        return 2
    except OSError as problem:
        where = f"{config.host}:{config.port}"
        print(f"{_PROG}: error: cannot listen on {where}: {problem.strerror}", file=sys.stderr)
        return 1


def _announce(emulator: RunningEmulator) -> None:
    print(emulator.connection_string, flush=True)
    print(f"{_PROG}: listening on {emulator.endpoint}", file=sys.stderr, flush=True)
    if emulator.cert_path is not None:
        hint = f"REQUESTS_CA_BUNDLE={emulator.cert_path}"
        print(f"{_PROG}: TLS certificate for Python clients: {hint}", file=sys.stderr, flush=True)


@contextmanager
def _stop_signals() -> Iterator[socket.socket]:
    """A socket that turns readable on SIGINT or SIGTERM while inside; the previous handlers come
    back after. Handlers can only be installed from the main thread; elsewhere no signal comes."""
    reader, writer = socket.socketpair()
    writer.setblocking(False)  # set_wakeup_fd requires it: a signal must never block on it
    with reader, writer:
        if threading.current_thread() is not threading.main_thread():
            yield reader
            return
        with _signals_written_to(writer):
            yield reader


@contextmanager
def _signals_written_to(writer: socket.socket) -> Iterator[None]:
    """Python's C-level handler writes the signal number to `writer`, from any thread and taking
    no lock. Not a Python handler that sets a threading.Event: it runs in the main thread, maybe
    while that thread holds the Event's own lock inside Event.wait(), and then waits for that
    lock forever, so the emulator hangs and ignores every later SIGTERM."""
    previous_fd = signal.set_wakeup_fd(writer.fileno())  # first, so no signal goes unwritten
    previous = {signum: signal.signal(signum, _only_wake) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:  # None: installed outside Python; cannot be restored
                signal.signal(signum, handler)
        signal.set_wakeup_fd(previous_fd)


def _only_wake(signum: int, frame: FrameType | None) -> None:
    """Nothing to do here: having a Python handler is what makes the wakeup socket written."""


def _config(arguments: argparse.Namespace) -> EmulatorConfig:
    return EmulatorConfig(
        host=arguments.host,
        port=arguments.port,
        access_key=arguments.access_key,
        data_dir=arguments.data_dir,
        tls=arguments.tls,
        latency_ms=arguments.latency_ms,
        error_rate=arguments.error_rate,
        throttle_rate=arguments.throttle_rate,
        seed=arguments.seed,
        max_participants=arguments.max_participants,
        page_size=arguments.page_size,
        log_requests=arguments.log_requests,
        event_grid_webhook=arguments.event_grid_webhook,
    )


def _parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog=_PROG,
        description="Local Azure Communication Services Rooms + Identity emulator. Prints its "
        "connection string as the first line, then serves until SIGINT/SIGTERM.",
    )
    _add_service_flags(parser)
    _add_fault_flags(parser)
    return parser


def _add_service_flags(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    add("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port (default %(default)s)")
    add("--access-key", help="base64 access key (default: a new random key)")
    add("--data-dir", type=Path, help="keep state here across restarts (default: in memory)")
    add("--tls", action="store_true", help="serve https with a self-signed certificate")
    add("--max-participants", type=int, default=350, help="per room (default %(default)s)")
    add("--page-size", type=int, default=50, help="items per list page (default %(default)s)")
    add("--log-requests", action="store_true", help="one stderr line per request")
    webhook_help = "post ACS calling events here (Event Grid schema, after the handshake)"
    add("--event-grid-webhook", metavar="URL", help=webhook_help)


def _add_fault_flags(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--latency-ms", type=int, default=0, help="added to every request (default 0)")
    add("--error-rate", type=float, default=0.0, help="fraction answered 500/503 (default 0)")
    add("--throttle-rate", type=float, default=0.0, help="fraction answered 429 (default 0)")
    add("--seed", type=int, help="make the injected faults repeatable")
