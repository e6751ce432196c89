"""Ack latency of `/room create` over HTTP to `roombot serve` while slow connections are held
open against it, next to the same commands' acks with none, in the same run.

Usage: uv run python bench/bench_slow_connections.py [--commands 100] [--slow 200]
       [--latency-ms 0] [--postgres URL]

serve, the ACS emulator and the Slack stand-in run in processes of their own (bench/_stack.py),
the emulator and the stand-in at nice 10. The slow connections are held from this process by
one thread: half never send a byte; the other half send a request's headers a byte at a time,
one byte per connection every 0.5 s (slowloris), so that none is ever idle long enough to be
dropped. Commands go one at a time, each a real `/room create` (a fresh trigger id and
response_url, its card in a channel of its own), first with no slow connection, then with all
of them held; /healthz is asked after each command of the second round.

Goal: every ack <= 1 s while the slow connections are held.
"""

from __future__ import annotations

import argparse
import math
import socket
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import _stack

GOAL_SECONDS = 1.0
CREATE_TEXT = "create Slow bench for 30m"
TRICKLE_SECONDS = 0.5
HEAD = b"POST /slack/events HTTP/1.1\r\nHost: roombot.bench\r\nX-Slow: "


def timed(action: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    status = action()
    return time.perf_counter() - started, status


def percentile(values: list[float], percent: float) -> float:
    ranked = sorted(values)
    return ranked[max(0, math.ceil(percent / 100 * len(ranked)) - 1)]


class Commands:
    """Signed `/room create` commands, each with a response_url and a channel of its own."""

    def __init__(self, stand: _stack.Standin, serve: _stack.Serve) -> None:
        self.stand, self.serve, self.sent = stand, serve, 0

    def send(self) -> tuple[float, int]:
        [url] = self.stand.response_urls(1)
        channel = _stack.bench_channel_id(self.sent)
        self.sent += 1
        body = _stack.command_body(CREATE_TEXT, url, f"slow-{uuid.uuid4().hex}", channel_id=channel)
        return timed(lambda: _stack.post(self.serve.events_url, body, timeout=30))

    def round(self, count: int, between: Callable[[], None] = lambda: None) -> list[float]:
        seconds = []
        for _ in range(count):
            took, status = self.send()
            if status != 200:
                print(f"    an ack came back with status {status}")
            seconds.append(took)
            between()
        return seconds


def healthz(url: str) -> int:
    with urllib.request.urlopen(f"{url}/healthz", timeout=30) as reply:  # noqa: S310
        reply.read()
        return int(reply.status)


def ask_health(url: str) -> float:
    took, status = timed(lambda: healthz(url))
    if status != 200:
        print(f"    /healthz answered {status}")
    return took


class SlowClients:
    """`count` connections to serve: half silent, half trickling endless headers."""

    def __init__(self, url: str, count: int) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.held = [socket.create_connection((host, int(port)), timeout=5) for _ in range(count)]
        self.trickling = self.held[1::2]
        self.done = threading.Event()

    def trickle(self) -> None:
        for conn in self.trickling:
            conn.sendall(HEAD)
        while not self.done.wait(TRICKLE_SECONDS):
            for conn in list(self.trickling):
                try:
                    conn.sendall(b"a")
                except OSError:  # serve dropped it
                    self.trickling.remove(conn)

    def still_open(self) -> int:
        """How many serve has neither closed nor answered."""
        return sum(_unanswered(conn) for conn in self.held)

    def close(self) -> None:
        self.done.set()
        for conn in self.held:
            conn.close()


def _unanswered(conn: socket.socket) -> bool:
    conn.setblocking(False)
    try:
        conn.recv(1, socket.MSG_PEEK)  # an answer, or b"" for a close
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        conn.setblocking(True)
    return False


@contextmanager
def held(url: str, count: int) -> Iterator[SlowClients]:
    clients = SlowClients(url, count)
    sender = threading.Thread(target=clients.trickle, daemon=True)
    sender.start()
    try:
        yield clients
    finally:
        clients.close()
        sender.join()


def line(name: str, seconds: list[float]) -> str:
    cells = [percentile(seconds, 50), percentile(seconds, 99), max(seconds)]
    return f"  {name:<34} " + " ".join(f"{v * 1000:9.1f} ms" for v in cells)


def measure(stand: _stack.Standin, serve: _stack.Serve, chosen: argparse.Namespace) -> bool:
    commands = Commands(stand, serve)
    commands.round(10)  # warm-up: imports, auth.test, first identity
    quiet = commands.round(chosen.commands)
    _stack.settle(serve.process.pid, window=1.0)
    health: list[float] = []
    with held(serve.url, chosen.slow) as slow:
        loaded = commands.round(chosen.commands, lambda: health.append(ask_health(serve.url)))
        still = slow.still_open()
    print(f"\n{chosen.commands} acks a round; {still} of {chosen.slow} slow connections held")
    print(f"  {'':<34} {'p50':>12} {'p99':>12} {'max':>12}")
    print(line("acks, no slow connection", quiet))
    print(line(f"acks, {chosen.slow} slow connections held", loaded))
    print(line(f"/healthz, {chosen.slow} slow connections", health))
    return max(loaded + health) <= GOAL_SECONDS


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=100, help="acks per round (default 100)")
    parser.add_argument("--slow", type=int, default=200, help="slow connections (default 200)")
    parser.add_argument("--latency-ms", type=int, default=0, help="ACS emulator latency (0)")
    parser.add_argument("--postgres", metavar="URL", help="serve on this PostgreSQL database")
    return parser.parse_args()


def main() -> int:
    chosen = options()
    channels = chosen.commands * 2 + 10
    with _stack.workdir() as work, _stack.standin(channels=channels) as stand:
        _stack.lower_priority(stand.process.pid)
        database = _stack.database_url(chosen.postgres, work)
        emulator, _acs, serve = _stack.launch_serve(
            stand, work, latency_ms=chosen.latency_ms, database_url=database
        )
        _stack.lower_priority(emulator.pid)
        try:
            met = measure(stand, serve, chosen)
        finally:
            serve.stop(grace=30)
            emulator.terminate()
            emulator.wait()
    print(f"\nverdict: {'every ack and /healthz' if met else 'NOT every answer'} within 1 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
