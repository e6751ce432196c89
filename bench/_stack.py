"""What the serve benchmarks share: the ACS emulator, the Slack stand-in and `roombot serve`,
each in its own process so none of them shares a GIL with another or with the load.

Not a benchmark itself (the leading underscore): bench_ack, bench_fanout and bench_throughput
import it. The stand-in child streams the calls the benchmarks wait for (response_url posts
and chat.postMessage) back through a queue, stamped with the stand-in's own receive time.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parents[1]
# Not a secret: the benchmarks' own stand-in accepts it, nothing else does.
SIGNING_SECRET = "bench-signing-secret"  # noqa: S105
TEAM_ID = "T0DEMO"
CHANNEL_ID = "C0GENERAL"
ORGANIZER = "U06ANA1001"
STREAMED = ("response_url", "chat.postMessage")
_OURS = ("ROOMBOT_", "SLACK_", "ACS_", "COMMUNICATION_", "DATABASE_URL", "PORT")


def bench_user_id(index: int) -> str:
    return f"U0BENCH{index:04d}"


def bench_channel_id(index: int) -> str:
    """Channels to spread room cards over: RoomBot paces posts to ~1/s per channel, as Slack
    limits them, so one shared channel would measure the pacing, not the work."""
    return f"C0BENCH{index:04d}"


# ---------------------------------------------------------------- signed Slack requests


def signed(body: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's headers for `body`; the signature is valid for 300 s after `timestamp`."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
    }


def command_body(
    text: str,
    response_url: str,
    trigger_id: str,
    *,
    user_id: str = ORGANIZER,
    channel_id: str = CHANNEL_ID,
) -> str:
    return urlencode(
        {
            "token": "unused",
            "team_id": TEAM_ID,
            "channel_id": channel_id,
            "user_id": user_id,
            "command": "/room",
            "text": text,
            "response_url": response_url,
            "trigger_id": trigger_id,
            "api_app_id": "A0ROOMBOT",
        }
    )


def press_body(action: dict[str, Any], response_url: str, user_id: str = ORGANIZER) -> str:
    """A button click on an ephemeral message (as /room delete's confirmation is)."""
    import json

    payload = {
        "type": "block_actions",
        "team": {"id": TEAM_ID},
        "api_app_id": "A0ROOMBOT",
        "token": "unused",
        "user": {"id": user_id, "team_id": TEAM_ID},
        "trigger_id": f"press-{time.time_ns()}",
        "container": {"type": "message", "is_ephemeral": True, "channel_id": CHANNEL_ID},
        "channel": {"id": CHANNEL_ID},
        "response_url": response_url,
        "actions": [{**action, "block_id": "bench", "action_ts": str(time.time())}],
    }
    return urlencode({"payload": json.dumps(payload)})


def post(url: str, body: str, timeout: float = 30.0) -> int:
    request = urllib.request.Request(url, data=body.encode(), headers=signed(body))  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310
        reply.read()
        return int(reply.status)


# ---------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_http(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            # /healthz waits up to 3 s on its ACS probe (slow ACS: bench_ack's 2000 ms).
            with urllib.request.urlopen(url, timeout=5) as reply:  # noqa: S310
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def start_emulator(latency_ms: int) -> tuple[subprocess.Popen[str], str]:
    """`roombot acs-emulator` in a child process; returns it and its connection string
    (never printed: it holds the access key)."""
    command = [sys.executable, "-m", "acs_emulator", "--port", "0", "--latency-ms", str(latency_ms)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    return child, child.stdout.readline().strip()


def serve_env(
    slack_url: str,
    bot_token: str,
    acs: str,
    database_url: str,
    data: Path,
    work_processes: int | None = None,
) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    chosen = {} if work_processes is None else {"ROOMBOT_WORK_PROCESSES": str(work_processes)}
    return (
        clean
        | chosen
        | {
            "PYTHONPATH": str(ROOT),
            "SLACK_BOT_TOKEN": bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack_url,
            "ACS_CONNECTION_STRING": acs,
            "DATABASE_URL": database_url,
            "ROOMBOT_DATA_DIR": str(data),
            "ROOMBOT_REMINDER_POLL_SECONDS": "30",
        }
    )


@dataclass
class Serve:
    process: subprocess.Popen[bytes]
    url: str
    emulator_pid: int | None = None  # the ACS emulator it talks to, when launched with one

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"

    def rss_mb(self) -> float:
        """The serving process alone."""
        return rss_mb(self.process.pid)

    def workers_rss_mb(self) -> float:
        """Its worker processes (`ROOMBOT_WORK_PROCESSES`), together."""
        return sum(rss_mb(pid) for pid in descendants(self.process.pid))

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM (graceful: it finishes work in flight), then SIGKILL after `grace`."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_serve(env: dict[str, str], workdir: Path) -> Serve:
    port = free_port()
    log = (workdir / f"serve-{port}.log").open("wb")
    command = [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    serve = Serve(process, f"http://127.0.0.1:{port}")
    try:
        wait_http(f"{serve.url}/healthz")
    except RuntimeError:
        serve.stop(grace=1)
        raise
    return serve


def launch_serve(
    stand: Standin,
    work: Path,
    *,
    latency_ms: int,
    database_url: str,
    data: str = "data",
    work_processes: int | None = None,
) -> tuple[subprocess.Popen[str], str, Serve]:
    """The ACS emulator at `latency_ms`, then `roombot serve` against it and the stand-in,
    its state in `work/data`; returns the emulator, its connection string and serve."""
    emulator, acs = start_emulator(latency_ms)
    state = work / data
    state.mkdir()
    env = serve_env(stand.base_url, stand.bot_token, acs, database_url, state, work_processes)
    try:
        serve = start_serve(env, work)
    except BaseException:
        emulator.terminate()
        emulator.wait()
        raise
    serve.emulator_pid = emulator.pid
    return emulator, acs, serve


@contextmanager
def running_serve(
    stand: Standin,
    work: Path,
    *,
    latency_ms: int,
    postgres: str | None,
    grace: float,
    work_processes: int | None = None,
) -> Iterator[tuple[Serve, str]]:
    """`launch_serve` for one benchmark run: serve and the emulator stop when it ends."""
    db = database_url(postgres, work)
    emulator, acs, serve = launch_serve(
        stand, work, latency_ms=latency_ms, database_url=db, work_processes=work_processes
    )
    try:
        yield serve, acs
    finally:
        serve.stop(grace=grace)
        emulator.terminate()
        emulator.wait()


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return 0.0
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else float("nan")


def cpu_seconds(pid: int) -> float:
    """CPU time of `pid` and of its live descendants (serve's worker processes)."""
    return sum(own_cpu_seconds(one) for one in [pid, *descendants(pid)])


def own_cpu_seconds(pid: int) -> float:
    """CPU time (user + system, from /proc/<pid>/stat) of `pid` alone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:  # it ended meanwhile
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Live processes below `pid`, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        one = todo.pop()
        found.append(one)
        todo.extend(children.get(one, []))
    return found


def lower_priority(pid: int, niceness: int = 10) -> None:
    """Let `pid` (a stand-in for a remote service) yield this machine's CPU to serve."""
    os.setpriority(os.PRIO_PROCESS, pid, niceness)


def database_url(postgres: str | None, workdir: Path) -> str:
    """A fresh SQLite file, or (with --postgres URL) that database's `public` schema as is."""
    return postgres or f"sqlite:///{workdir / 'roombot.db'}"


# ---------------------------------------------------------------- the Slack stand-in child


def _standin_main(conn: Connection, events: Any, extra_users: int, channels: int) -> None:
    from slack_standin import demo_workspace, start_slack_standin
    from slack_standin.workspace import Channel, User

    workspace = demo_workspace()
    general = workspace.channel("general")
    for index in range(extra_users):
        user_id = bench_user_id(index)
        workspace.users[user_id] = User(user_id, f"bench{index}", f"Bench User {index}")
        general.members.append(user_id)
    for index in range(channels):
        channel_id = bench_channel_id(index)
        members = [ORGANIZER, workspace.bot_user_id]
        workspace.channels[channel_id] = Channel(channel_id, f"bench-{index}", members)
    running = start_slack_standin(workspace)

    def stream(call: Any) -> None:
        if call.method in STREAMED:
            events.put((call.method, call.at, call.args))

    running.subscribe(stream)
    conn.send((running.base_url, running.bot_token))
    while True:
        request = conn.recv()
        if request[0] == "urls":
            conn.send([running.new_response_url(CHANNEL_ID, ORGANIZER) for _ in range(request[1])])
        elif request[0] == "counts":
            conn.send({m: len(running.calls(m)) for m in request[1]})
        else:
            running.stop()
            conn.send("stopped")
            return


@dataclass
class Standin:
    """The stand-in's child process, seen from the benchmark."""

    process: Any
    conn: Connection
    events: Any
    base_url: str
    bot_token: str
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _waiters: dict[str, queue.Queue[Any]] = field(default_factory=dict)
    posts: queue.Queue[tuple[float, dict[str, Any]]] = field(default_factory=queue.Queue)

    def response_urls(self, count: int) -> list[str]:
        with self._lock:
            self.conn.send(("urls", count))
            urls: list[str] = self.conn.recv()
            return urls

    def counts(self, *methods: str) -> dict[str, int]:
        with self._lock:
            self.conn.send(("counts", methods))
            found: dict[str, int] = self.conn.recv()
            return found

    def expect_reply(self, response_url: str) -> queue.Queue[Any]:
        """A queue that receives (at, args) of the next post to `response_url`."""
        waiter: queue.Queue[Any] = queue.Queue()
        with self._lock:
            self._waiters[response_url.rsplit("/", 1)[1]] = waiter
        return waiter

    def route_events(self) -> None:
        while True:
            item = self.events.get()
            if item is None:
                return
            method, at, args = item
            if method == "chat.postMessage":
                self.posts.put((at, args))
                continue
            with self._lock:
                waiter = self._waiters.pop(args.get("response_url_id", ""), None)
            if waiter is not None:
                waiter.put((at, args))


@contextmanager
def standin(extra_users: int = 0, channels: int = 0) -> Iterator[Standin]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    events = context.Queue()
    process = context.Process(
        target=_standin_main, args=(child, events, extra_users, channels), daemon=True
    )
    process.start()
    base_url, token = parent.recv()
    running = Standin(process, parent, events, base_url, token)
    router = threading.Thread(target=running.route_events, daemon=True)
    router.start()
    try:
        yield running
    finally:
        parent.send(("stop",))
        parent.recv()
        events.put(None)
        process.join(timeout=10)


@contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="roombot-bench-") as path:
        yield Path(path)


def settle(pid: int, *, idle_cpu: float = 0.05, window: float = 0.5, timeout: float = 120) -> float:
    """Wait until process `pid` is (nearly) idle: its background work has drained.
    Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        before = cpu_seconds(pid)
        time.sleep(window)
        if cpu_seconds(pid) - before < idle_cpu * window:
            break
    return time.monotonic() - started
