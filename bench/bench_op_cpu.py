"""CPU per room operation, by operation, in one process: what serve and its work process spend
on each kind of operation, with the SQL statements, units of work and Slack calls each makes.

Usage: uv run python bench/bench_op_cpu.py [--rooms 100] [--statements] [--profile FILE]

bench_throughput measures the whole stack under load, where every figure moves with what
else the machine runs. Here one thread does everything RoomBot does for an operation: the
serving app acks a signed request (recording its job), and the job runs as a work process
runs it (claimed, dispatched to the work app), synchronously, so `time.thread_time()`
around each request is the CPU RoomBot spent on it, and nothing else. The ACS emulator runs
in its own process, the Slack stand-in on threads of its own (their CPU is not counted).

Each room lives as in bench_throughput: /room create (1 invitee, a channel of its own) ->
extend -> invite -> remove -> /room delete (its confirmation) -> the Delete button. The first
rooms warm up and are not counted. Card posts are not paced here (pacing only sleeps).

Anchor, measured in the same run: a fixed piece of pure-Python work (JSON and arithmetic)
run before and after every room; the operations are also given in multiples of it, which
moves much less than milliseconds do when the machine is busy.

--statements lists each operation's SQL statements with the RoomBot lines that issued them;
--profile writes a cProfile (thread CPU time) of the counted operations to FILE.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import re
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import _stack

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

KINDS = ("create", "extend", "invite", "remove", "delete-command", "delete")
COUNTED = ("create", "extend", "invite", "remove", "delete")  # as bench_throughput counts
SLACK_METHODS = ("response_url", "chat.update", "chat.postMessage", "users.info")
WARM_UP_ROOMS = 3


class Inline(Executor):
    """Runs what it is given at once, on the caller's thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


class Meter:
    """CPU, wall time, statements, units of work and Slack calls, per kind of operation."""

    def __init__(self) -> None:
        self.kind: str | None = None  # what is running now; None: not counted
        self.cpu: Counter[str] = Counter()
        self.samples: defaultdict[str, list[float]] = defaultdict(list)
        self.wall: Counter[str] = Counter()
        self.count: Counter[str] = Counter()
        self.statements: Counter[str] = Counter()
        self.units: Counter[str] = Counter()
        self.slack: Counter[tuple[str, str]] = Counter()
        self.sites: defaultdict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        self.anchor = [0.0, 0]
        self.list_statements = False

    @contextmanager
    def measuring(self, kind: str, counted: bool) -> Iterator[None]:
        self.kind = kind if counted else None
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            yield
        finally:
            if counted:
                self.cpu[kind] += time.thread_time() - cpu
                self.samples[kind].append(time.thread_time() - cpu)
                self.wall[kind] += time.perf_counter() - wall
                self.count[kind] += 1
            self.kind = None

    def on_statement(self, *args: Any) -> None:
        if self.kind is None:
            return
        self.statements[self.kind] += 1
        if self.list_statements:
            sql = " ".join(str(args[2]).split())[:64]
            ours = [f for f in traceback.extract_stack() if "/bot/" in f.filename]
            site = " < ".join(f"{f.name}:{f.lineno}" for f in reversed(ours[-3:]))
            self.sites[self.kind][(sql, site)] += 1

    def on_slack_call(self, call: Any) -> None:
        if self.kind is not None and call.method in SLACK_METHODS:
            self.slack[(self.kind, call.method)] += 1

    def run_anchor(self) -> None:
        payload = {f"k{i}": [i, str(i), {"x": i}] for i in range(200)}
        started = time.thread_time()
        for _ in range(5):
            json.loads(json.dumps(payload))
            sum(i * i for i in range(3000))
        self.anchor[0] += time.thread_time() - started
        self.anchor[1] += 1


def count_units_of_work(meter: Meter) -> None:
    """Counts every unit of work (session) the services open while an operation runs."""
    import bot.services.uow as uow

    scope = uow.session_scope

    @contextmanager
    def counted(engine: Any) -> Iterator[Any]:
        if meter.kind is not None:
            meter.units[meter.kind] += 1
        with scope(engine) as session:
            yield session

    uow.session_scope = counted


def log_like_a_process(path: Path) -> None:
    """Logging as serve and its work processes set it up (a line per request, the SDKs
    quieted), written to a file as the benchmarks write serve's."""
    from bot.run_modes.process import configure_logging

    configure_logging()
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(path.open("a"))


class Stack:
    """The serving app and its work app, on one store, the emulator and the stand-in."""

    def __init__(self, acs: str, rooms: int, meter: Meter) -> None:
        from pydantic import SecretStr
        from slack_bolt.lazy_listener import ThreadLazyListenerRunner
        from sqlalchemy import Engine, event

        import bot.slack_posts.cards as cards
        from bot.app import build_services, create_app
        from bot.background.job_runner import DurableLazyRunner
        from bot.background.job_worker import JobWorker
        from bot.config import Settings
        from bot.services.job_queue import JobQueue
        from slack_standin import demo_workspace, start_slack_standin
        from slack_standin.workspace import Channel
        from storage.engine import make_engine

        data = Path(tempfile.mkdtemp(prefix="roombot-bench-"))
        log_like_a_process(data / "roombot.log")
        workspace = demo_workspace()
        for index in range(rooms + WARM_UP_ROOMS):
            channel_id = _stack.bench_channel_id(index)
            members = [_stack.ORGANIZER, workspace.bot_user_id]
            workspace.channels[channel_id] = Channel(channel_id, f"bench-{index}", members)
        self.standin = start_slack_standin(workspace)
        self.standin.subscribe(meter.on_slack_call)
        self.replies: list[dict[str, Any]] = []
        self.standin.subscribe(self._keep_reply)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            slack_bot_token=SecretStr(self.standin.bot_token),
            slack_signing_secret=SecretStr(_stack.SIGNING_SECRET),
            slack_api_url=self.standin.base_url,
            acs_connection_string=SecretStr(acs),
            database_url=f"sqlite:///{data / 'roombot.db'}",
            roombot_data_dir=data,
        )
        cards.PACER = cards.ChannelPacer(burst=10**6)  # pacing only sleeps: CPU is measured
        event.listen(Engine, "before_cursor_execute", meter.on_statement)
        count_units_of_work(meter)
        inline = Inline()
        self.serving = build_services(settings, database_may_wait=True)
        self.working = build_services(settings, database_may_wait=True)
        engine = make_engine(settings.effective_database_url)
        queue = JobQueue(engine=engine)
        work_app = create_app(settings, self.working, executor=inline, worker=True)
        worker = JobWorker(work_app, queue, threading.Semaphore(0), threads=1)
        # Each job runs as soon as it is recorded, on this thread, as a work process runs it.
        runner = DurableLazyRunner(
            queue, wake=worker.run_pending, fallback=ThreadLazyListenerRunner(log, inline)
        )
        self.app = create_app(settings, self.serving, executor=inline, lazy_runner=runner)

    def _keep_reply(self, call: Any) -> None:
        if call.method == "response_url":
            self.replies.append(call.args)

    def send(self, body: str) -> None:
        from slack_bolt import BoltRequest

        headers = {name.lower(): [value] for name, value in _stack.signed(body).items()}
        response = self.app.dispatch(BoltRequest(body=body, headers=headers))
        if response.status != 200:
            raise RuntimeError(f"answered {response.status}: {response.body[:200]}")

    def last_reply(self) -> str:
        return str(self.replies[-1].get("text", "")) if self.replies else ""

    def url(self) -> str:
        return self.standin.new_response_url(_stack.CHANNEL_ID, _stack.ORGANIZER)

    def close(self) -> None:
        self.serving.close()
        self.working.close()
        self.standin.stop()


def room_life(stack: Stack, meter: Meter, serial: int, *, counted: bool) -> None:
    channel = _stack.bench_channel_id(serial)

    def command(kind: str, text: str) -> str:
        body = _stack.command_body(text, stack.url(), f"cpu-{serial}-{kind}", channel_id=channel)
        with meter.measuring(kind, counted):
            stack.send(body)
        return stack.last_reply()

    created = command("create", f"create R{serial} for 1h <@U06BEN1002>")
    ready = re.search(r"Room #(\d+) is ready", created)
    if ready is None:
        raise RuntimeError(f"create: {stack.last_reply()[:200]}")
    n = ready.group(1)
    command("extend", f"extend #{n} by 30m")
    command("invite", f"invite #{n} <@U06CHO1003>")
    command("remove", f"remove #{n} <@U06CHO1003>")
    command("delete-command", f"delete #{n}")
    press = {"type": "button", "action_id": "room_delete", "value": n}
    with meter.measuring("delete", counted):
        stack.send(_stack.press_body(press, stack.url()))
    if f"Room #{n}" not in stack.last_reply():
        raise RuntimeError(f"delete: {stack.last_reply()[:200]}")


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=100, help="rooms counted (default 100)")
    parser.add_argument("--statements", action="store_true", help="list each op's SQL")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the counted ops")
    return parser.parse_args()


def main() -> int:
    chosen = options()
    meter = Meter()
    meter.list_statements = chosen.statements
    emulator, acs = _stack.start_emulator(0)
    stack = Stack(acs, chosen.rooms, meter)
    profile = cProfile.Profile(time.thread_time) if chosen.profile else None
    try:
        for serial in range(WARM_UP_ROOMS):
            room_life(stack, meter, serial, counted=False)
        for serial in range(WARM_UP_ROOMS, WARM_UP_ROOMS + chosen.rooms):
            meter.run_anchor()
            if profile is not None:
                profile.enable()
            room_life(stack, meter, serial, counted=True)
            if profile is not None:
                profile.disable()
            meter.run_anchor()
    finally:
        stack.close()
        emulator.terminate()
        emulator.wait()
    report(meter, chosen.rooms)
    if profile is not None:
        profile.dump_stats(chosen.profile)
    return 0


def report(meter: Meter, rooms: int) -> None:
    anchor = meter.anchor[0] / max(meter.anchor[1], 1)
    # As bench_throughput counts: five operations per room; the delete command's cost (it
    # only asks) is part of the delete.
    total = sum(meter.cpu.values())
    ops = sum(meter.count[kind] for kind in COUNTED)
    print(f"{rooms} rooms; serve + work CPU per room operation: {total / ops * 1000:.2f} ms")
    # Another process on the machine only ever adds to an operation's CPU time (caches, a
    # shared core): each kind's lowest decile is the least disturbed figure.
    low = sum(low_decile(meter.samples[kind]) for kind in KINDS) / len(COUNTED)
    print(f"  from each kind's lowest decile (least disturbed): {low * 1000:.2f} ms")
    print(
        f"  anchor, same run: {anchor * 1000:.2f} ms;"
        f" per operation: {total / ops / anchor:.2f} x the anchor"
    )
    header = f"{'CPU ms':>8s}{'p10 ms':>8s}{'wall ms':>9s}{'SQL':>6s}{'units':>7s}"
    print(f"\n{'':16s}{header}   Slack calls")
    for kind in KINDS:
        n = max(meter.count[kind], 1)
        calls = ", ".join(
            f"{method} {meter.slack[(kind, method)] / n:.1f}"
            for method in SLACK_METHODS
            if meter.slack[(kind, method)]
        )
        print(
            f"  {kind:14s}{meter.cpu[kind] / n * 1000:8.2f}"
            f"{low_decile(meter.samples[kind]) * 1000:8.2f}{meter.wall[kind] / n * 1000:9.1f}"
            f"{meter.statements[kind] / n:6.1f}{meter.units[kind] / n:7.1f}   {calls}"
        )
    for kind, sites in meter.sites.items():
        print(f"\n{kind}: statements per operation, with the RoomBot lines that issued them")
        for (sql, site), count in sites.items():
            print(f"  {count / max(meter.count[kind], 1):4.1f}  {sql:64s}  {site}")


def low_decile(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[len(ordered) // 10] if ordered else 0.0


if __name__ == "__main__":
    sys.exit(main())
