"""Crash recovery: the time from a worker's SIGKILL to the last of its jobs answered by the
worker that replaces it, next to the same burst answered with no kill, in the same run.

Usage: uv run python bench/bench_crash_recovery.py [--commands 50] [--lease 5]
       [--latency-ms 300] [--postgres URL]

`roombot serve` (one worker process, `ROOMBOT_JOB_LEASE_SECONDS=--lease`), the ACS emulator at
--latency-ms per call and the Slack stand-in run in processes of their own (bench/_stack.py).
Each round sends --commands `/room create` at once (cards in channels of their own, so card
pacing does not count), waits until the worker has claimed jobs and is inside ACS calls, then
(second round) SIGKILLs it. The worker is replaced at once; the jobs it held are taken again
once their leases run out. Every command must be answered exactly once.

Goal: kill -> last answer <= lease + 2 s.
"""

from __future__ import annotations

import argparse
import os
import queue
import signal
import sys
import threading
import time
import uuid
from pathlib import Path

import _stack

SLACK_MARGIN_SECONDS = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=50)
    parser.add_argument("--lease", type=float, default=5.0)
    parser.add_argument("--latency-ms", type=int, default=300)
    parser.add_argument("--postgres", help="a PostgreSQL URL (default: SQLite)")
    chosen = parser.parse_args()
    with _stack.standin(channels=chosen.commands * 2) as stand, _stack.workdir() as work:
        threading.Thread(target=stand.route_events, daemon=True).start()
        calm = one_round(stand, work, chosen, "calm", kill=False)
        crash = one_round(stand, work, chosen, "crash", kill=True)
    goal = chosen.lease + SLACK_MARGIN_SECONDS
    print(
        f"\n{chosen.commands} creates, ACS {chosen.latency_ms} ms per call, lease {chosen.lease} s"
    )
    print(f"  no kill (anchor): last answer {calm:.2f} s after the point the kill comes")
    print(
        f"  worker SIGKILLed: last answer {crash:.2f} s after the kill (goal <= {goal:.1f} s:"
        f" {'met' if crash <= goal else 'NOT met'})"
    )
    return 0


def one_round(
    stand: _stack.Standin, work: Path, chosen: argparse.Namespace, name: str, *, kill: bool
) -> float:
    """Seconds from the kill (or the moment it would come) to the last answer."""
    env_lease = {"ROOMBOT_JOB_LEASE_SECONDS": str(chosen.lease)}
    database = _stack.database_url(chosen.postgres, work / name)
    (work / name).mkdir(exist_ok=True)
    emulator, acs = _stack.start_emulator(chosen.latency_ms)
    data = work / name / "data"
    data.mkdir()
    env = _stack.serve_env(stand.base_url, stand.bot_token, acs, database, data, 1) | env_lease
    serve = _stack.start_serve(env, work / name)
    try:
        offset = 0 if name == "calm" else chosen.commands
        replies = send_burst(stand, serve, chosen.commands, offset)
        time.sleep(1.0)  # the worker holds jobs and is inside ACS calls
        at = time.monotonic()
        if kill:
            os.kill(worker_of(serve), signal.SIGKILL)
        last = max(wait_reply(reply) for reply in replies)
        return last - at
    finally:
        serve.stop()
        emulator.terminate()
        emulator.wait()


def send_burst(
    stand: _stack.Standin, serve: _stack.Serve, count: int, offset: int
) -> list[queue.Queue[object]]:
    urls = stand.response_urls(count)
    replies = [stand.expect_reply(url) for url in urls]
    for index, url in enumerate(urls):
        body = _stack.command_body(
            f"create Crash bench {index}",
            url,
            uuid.uuid4().hex,
            channel_id=_stack.bench_channel_id(offset + index),
        )
        status = _stack.post(serve.events_url, body)
        if status != 200:
            raise SystemExit(f"a create was not acked: HTTP {status}")
    return replies


def wait_reply(reply: queue.Queue[object]) -> float:
    reply.get(timeout=120)
    return time.monotonic()


def worker_of(serve: _stack.Serve) -> int:
    for pid in _stack.descendants(serve.process.pid):
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"spawn_main" in command and b"resource_tracker" not in command:
            return pid
    raise SystemExit("serve has no worker process")


if __name__ == "__main__":
    sys.exit(main())
