"""Room operations per second that one `roombot serve` sustains against the ACS emulator, and
the memory (RSS) of the serve process and of its worker processes, sampled every 1,000
commands up to 10,000.

Usage: uv run python bench/bench_throughput.py [--commands 10000] [--workers 32]
       [--latency-ms 0] [--postgres URL] [--work-processes N]

serve, the ACS emulator and the Slack stand-in each run in their own process. --workers
threads here each repeat one room's life as Slack would deliver it, waiting for each reply:
  /room create (title, 1 invitee, in a channel of its own) -> /room extend #n by 30m ->
  /room invite #n @ben -> /room remove #n @ben -> /room delete #n (ephemeral confirmation)
  -> the confirmation's Delete button
Counted as room operations: create, extend, invite, remove and the delete button (the
delete command only asks). An operation is done when its reply reaches the response_url; a
command is any signed request to /slack/events (six per room). The stand-in spreads rooms over
many channels: RoomBot paces posts to ~1/s per channel, as Slack limits them.

Goal: RSS < 150 MB after 10k commands, and flat (the last samples within a few MB), for the
serving process and for each worker process (ROOMBOT_WORK_PROCESSES, default 1).

CPU per room operation: utime + stime from /proc/<pid>/stat of serve and of its worker
processes, read before the load and after it (once serve has gone idle: card posts paced
per channel may still run after the last reply), divided by the operations completed. Beside
it, as anchors from the same run, the same figure for the ACS emulator, the Slack stand-in
and this load generator: they do about the same work per operation whatever RoomBot does,
so they show how loaded (and how slow) the machine was during the run.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import threading
import time
import uuid

import _stack

GOAL_RSS_MB = 150.0
FLAT_MB = 5.0
CHANNELS = 500
SAMPLE_EVERY = 1000


class Load:
    def __init__(self, stand: _stack.Standin, serve: _stack.Serve, commands: int) -> None:
        self.stand, self.serve, self.limit = stand, serve, commands
        self.lock = threading.Lock()
        self.sent = 0
        self.operations = 0
        self.failures: list[str] = []
        self.samples: list[tuple[int, float, float, float]] = []  # commands, s, serve, workers
        self.started = time.monotonic()
        self._urls: list[str] = []

    def response_url(self) -> str:
        with self.lock:
            if not self._urls:
                self._urls = self.stand.response_urls(500)
            return self._urls.pop()

    def claim(self) -> bool:
        """One more command may go out; samples RSS at every thousandth."""
        with self.lock:
            if self.sent >= self.limit:
                return False
            self.sent += 1
            sample = self.sent % SAMPLE_EVERY == 0
            sent = self.sent
        if sample:
            rss, workers = self.serve.rss_mb(), self.serve.workers_rss_mb()
            self.samples.append((sent, time.monotonic() - self.started, rss, workers))
        return True

    def send(self, body: str, url: str) -> dict | None:
        """POST one request and wait for its reply at `url`; None when out of budget."""
        if not self.claim():
            return None
        waiter = self.stand.expect_reply(url)
        _stack.post(self.serve.events_url, body)
        _, args = waiter.get(timeout=60)
        return args

    def command(self, text: str, channel: str) -> dict | None:
        url = self.response_url()
        body = _stack.command_body(text, url, f"tp-{uuid.uuid4().hex}", channel_id=channel)
        return self.send(body, url)

    def done(self, kind: str, reply: dict, expect: str) -> None:
        with self.lock:
            if expect in str(reply.get("text", "")):
                self.operations += 1
            else:
                self.failures.append(f"{kind}: {str(reply.get('text'))[:120]}")


def room_life(load: Load, worker: int, serial: int) -> bool:
    channel = _stack.bench_channel_id((worker * 7919 + serial) % CHANNELS)
    reply = load.command(f"create W{worker} R{serial} for 1h <@U06BEN1002>", channel)
    if reply is None:
        return False
    match = re.search(r"Room #(\d+) is ready", str(reply.get("text", "")))
    if match is None:
        load.done("create", reply, "is ready")
        return True
    load.done("create", reply, "is ready")
    n = match.group(1)
    steps = [
        (f"extend #{n} by 30m", "extend", f"Room #{n}"),
        (f"invite #{n} <@U06CHO1003>", "invite", f"Room #{n}"),
        (f"remove #{n} <@U06CHO1003>", "remove", f"Room #{n}"),
    ]
    for text, kind, expect in steps:
        reply = load.command(text, channel)
        if reply is None:
            return False
        load.done(kind, reply, expect)
    if load.command(f"delete #{n}", channel) is None:
        return False
    url = load.response_url()
    action = {"type": "button", "action_id": "room_delete", "value": n}
    reply = load.send(_stack.press_body(action, url), url)
    if reply is None:
        return False
    load.done("delete", reply, f"Room #{n}")
    return True


def worker_loop(load: Load, worker: int) -> None:
    serial = 0
    try:
        while room_life(load, worker, serial):
            serial += 1
    except Exception as exc:  # reported at the end; the other workers go on
        with load.lock:
            load.failures.append(f"worker {worker}: {exc!r}")


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=10_000, help="default 10000")
    parser.add_argument("--workers", type=int, default=32, help="rooms in flight (default 32)")
    parser.add_argument("--latency-ms", type=int, default=0, help="ACS latency (default 0)")
    parser.add_argument("--postgres", metavar="URL", help="serve on this PostgreSQL database")
    parser.add_argument(
        "--work-processes", type=int, help="ROOMBOT_WORK_PROCESSES for serve (default: its own)"
    )
    return parser.parse_args()


def main() -> int:
    chosen = options()
    with (
        _stack.workdir() as work,
        _stack.standin(channels=CHANNELS) as stand,
        _stack.running_serve(
            stand,
            work,
            latency_ms=chosen.latency_ms,
            postgres=chosen.postgres,
            grace=10,
            work_processes=chosen.work_processes,
        ) as (serve, _acs),
    ):
        print(
            f"RSS at start: serve {serve.rss_mb():.1f} MB, workers {serve.workers_rss_mb():.1f} MB"
        )
        load = Load(stand, serve, chosen.commands)
        cpu_before = cpu_by_process(serve, stand)
        workers = [
            threading.Thread(target=worker_loop, args=(load, w)) for w in range(chosen.workers)
        ]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        elapsed = time.monotonic() - load.started
        _stack.settle(serve.process.pid)  # paced card posts may still be running
        cpu_after = cpu_by_process(serve, stand)
        cpu = {name: cpu_after[name] - cpu_before[name] for name in cpu_before}
        final = (serve.rss_mb(), serve.workers_rss_mb())
    report(load, elapsed, cpu, final)
    return 0


def cpu_by_process(serve: _stack.Serve, stand: _stack.Standin) -> dict[str, float]:
    """CPU seconds so far of serve, of its worker processes, and of the anchors."""
    pid = serve.process.pid
    own = _stack.own_cpu_seconds(pid)
    emulator = _stack.own_cpu_seconds(serve.emulator_pid) if serve.emulator_pid else 0.0
    times = os.times()
    return {
        "serve": own,
        "workers": _stack.cpu_seconds(pid) - own,
        "emulator": emulator,
        "stand-in": _stack.cpu_seconds(stand.process.pid),
        "load": times.user + times.system,
    }


def report(load: Load, elapsed: float, cpu: dict[str, float], final: tuple[float, float]) -> None:
    ops = max(load.operations, 1)
    roombot = cpu["serve"] + cpu["workers"]
    print(f"\n{load.sent} commands in {elapsed:.1f} s: {load.sent / elapsed:.0f} commands/s")
    print(
        f"room operations completed: {load.operations} = {load.operations / elapsed:.0f} ops/s"
        f" (serve and its workers: CPU {roombot / elapsed:.0%} of one core)"
    )
    print(
        f"CPU per room operation: serve + workers {roombot / ops * 1000:.2f} ms"
        f" (serve {cpu['serve'] / ops * 1000:.2f}, workers {cpu['workers'] / ops * 1000:.2f})"
    )
    print(
        "  anchors, same run, ms per operation:"
        f" ACS emulator {cpu['emulator'] / ops * 1000:.2f},"
        f" Slack stand-in {cpu['stand-in'] / ops * 1000:.2f},"
        f" load generator {cpu['load'] / ops * 1000:.2f}"
    )
    if load.failures:
        print(f"unexpected replies/errors: {len(load.failures)}, e.g. {load.failures[:3]}")
    print("\nRSS every 1,000 commands:        serve   workers")
    for sent, at, rss, workers in load.samples:
        print(f"  {sent:>6} commands  {at:6.1f} s  {rss:6.1f} MB  {workers:6.1f} MB")
    verdicts = [
        _memory_verdict(name, [s[column] for s in load.samples], final[column - 2])
        for name, column in (("serve", 2), ("workers", 3))
    ]
    verdict = "meets" if all(verdicts) else "MISSES"
    goal = f"RSS < {GOAL_RSS_MB:.0f} MB, flat within {FLAT_MB:.0f} MB"
    print(f"\nverdict: {verdict} the goal ({goal})")


def _memory_verdict(name: str, samples: list[float], final: float) -> bool:
    rss = samples or [final]
    tail = rss[len(rss) // 2 :]
    spread = max(tail) - min(tail)
    print(
        f"{name}: final RSS {final:.1f} MB, median sample {statistics.median(rss):.1f} MB,"
        f" spread over the second half of the samples {spread:.1f} MB"
    )
    return max([*rss, final]) < GOAL_RSS_MB and spread <= FLAT_MB


if __name__ == "__main__":
    sys.exit(main())
