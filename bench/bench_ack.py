"""Ack latency of `/room create` over HTTP to `roombot serve`, next to two anchors on the same
server stack, with the ACS emulator answering at once and then after 2 s.

Usage: uv run python bench/bench_ack.py [--serial 300] [--concurrent 50] [--burst 1000]
       [--latencies 0,2000] [--postgres URL]

Targets, each in its own process, all on bot.run_modes.http_server.HttpServer
(waitress, 16 threads):
  floor  only verifies the Slack signature and answers 200 (bench/_ack_targets.py)
  bolt   a bare slack_bolt.App with default settings whose /room listener only acks
  pbr    that bare app with process_before_response=True, as RoomBot runs Bolt (extra anchor:
         Bolt's own cost, without RoomBot's middleware or the work behind the ack)
  serve  `roombot serve`: every request is a real `/room create` (a fresh trigger id, so a
         fresh creation key and response_url), so each ack starts a room creation behind it,
         run by serve's worker process (ROOMBOT_WORK_PROCESSES=1, the default)
  threads  the same with ROOMBOT_WORK_PROCESSES=0: the creations run on serve's own threads
         (how RoomBot ran before worker processes; the "before" of that change)
The ACS emulator and the Slack stand-in run in processes of their own, at nice 10: they stand
for Azure and Slack, whose CPU is not this machine's, so the room creations behind serve's
acks must not take the CPU from serve through them. Load comes from wrk
(compiled, so the generator is not the bottleneck): a Lua script replays requests signed just
before each run; serial = 1 connection, then --concurrent connections sending --burst requests.
After each run of serve or threads the creations started by its acks are left to finish, so
the next run starts quiet; during a run at 2000 ms they wait on ACS while the acks go on.

Goal: serve's serial p50 <= 1.5x the floor's, its concurrent p99 <= 2x the floor's, at both
ACS latencies (slow ACS must change neither).
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import _stack

GOAL_SERIAL_RATIO, GOAL_P99_RATIO = 1.5, 2.0
TARGETS = ("floor", "bolt", "pbr", "threads", "serve")
SERVES = {"threads": 0, "serve": 1}  # ROOMBOT_WORK_PROCESSES of each
CREATE_TEXT = "create Bench sync for 30m"
CHANNELS = 2000  # cards spread so that RoomBot's per-channel pacing (~1 post/s) never waits

LUA = """
local items = {
%(items)s
}
local threads_made = 0
function setup(thread)
  thread:set("first", threads_made)
  threads_made = threads_made + 1
end
function init(args)
  step = tonumber(args[1])
  limit = tonumber(args[2])
  reqs = {}
  for i, item in ipairs(items) do
    reqs[i] = wrk.format("POST", "/slack/events", {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Slack-Request-Timestamp"] = item[1],
      ["X-Slack-Signature"] = item[2],
    }, item[3])
  end
  n = first
  answered = 0
end
function request()
  local r = reqs[(n %% #reqs) + 1]
  n = n + step
  return r
end
function response(status, headers, body)
  answered = answered + 1
  if answered == limit then
    io.stderr:write("done\\n")
    wrk.thread:stop()
  end
end
"""


@dataclass
class Run:
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int


def wrk_script(bodies: list[str], path: Path) -> None:
    stamp = int(time.time())
    rows = []
    for body in bodies:
        headers = _stack.signed(body, stamp)
        signature = headers["X-Slack-Signature"]
        rows.append(f'  {{"{stamp}", "{signature}", [[{body}]]}},')
    path.write_text(LUA % {"items": "\n".join(rows)})


def bodies_for(count: int, response_urls: list[str] | None) -> list[str]:
    urls = response_urls or ["https://hooks.slack.invalid/commands/bench"] * count
    return [
        _stack.command_body(
            CREATE_TEXT,
            urls[i],
            f"bench-{uuid.uuid4().hex}",
            channel_id=_stack.bench_channel_id(i % CHANNELS),
        )
        for i in range(count)
    ]


def run_wrk(url: str, script: Path, *, connections: int, requests: int) -> Run:
    threads = min(2, connections)
    per_thread = requests // threads
    command = [
        "wrk", "--latency", "-t", str(threads), "-c", str(connections), "-d", "120s",
        "-s", str(script), url, "--", str(threads), str(per_thread),
    ]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    for _ in range(threads):
        child.stderr.readline()  # each thread says "done" once it has its answers
    child.send_signal(signal.SIGINT)  # ends wrk's sleep: it joins its threads and reports
    output, _ = child.communicate(timeout=30)
    return parse_wrk(output)


def parse_wrk(output: str) -> Run:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if match is None:
            raise RuntimeError(f"no {percent}% line in wrk's output:\n{output}")
        return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]

    total = re.search(r"(\d+) requests in", output)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: .*", output)
    if errors:
        print(f"    wrk: {errors.group(0)}")
    requests = int(total.group(1)) if total else 0
    return Run(latency("50"), latency("99"), requests, int(bad.group(1)) if bad else 0)


class Targets:
    """floor, bolt and pbr (started once), and serve and threads (one each per ACS latency)."""

    def __init__(self, stand: _stack.Standin, work: Path, database_url: str) -> None:
        self.stand, self.work, self.database_url = stand, work, database_url
        self.anchors = {name: self._start_anchor(name) for name in ("floor", "bolt", "pbr")}
        self.serves: dict[str, _stack.Serve] = {}
        self.emulators: list[subprocess.Popen[str]] = []

    def _start_anchor(self, name: str) -> tuple[subprocess.Popen[str], str]:
        script = Path(__file__).with_name("_ack_targets.py")
        command = [sys.executable, str(script), name]
        command += ["--slack-url", self.stand.base_url, "--token", self.stand.bot_token]
        child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        return child, f"http://127.0.0.1:{child.stdout.readline().strip()}/slack/events"

    def start_serves(self, latency_ms: int) -> None:
        self.stop_serves()
        for name, processes in SERVES.items():
            emulator, _acs, self.serves[name] = _stack.launch_serve(
                self.stand,
                self.work,
                latency_ms=latency_ms,
                database_url=self._database_url(name, latency_ms),
                data=f"data-{name}-{latency_ms}",
                work_processes=processes,
            )
            _stack.lower_priority(emulator.pid)
            self.emulators.append(emulator)

    def _database_url(self, name: str, latency_ms: int) -> str:
        if self.database_url.startswith("sqlite"):
            return f"sqlite:///{self.work / f'{name}-{latency_ms}.db'}"
        return self.database_url  # PostgreSQL: the rooms are told apart by their creation keys

    def url(self, name: str) -> str:
        if name in self.serves:
            return self.serves[name].events_url
        return self.anchors[name][1]

    def stop_serves(self) -> None:
        for serve in self.serves.values():
            serve.stop(grace=30)
        for emulator in self.emulators:
            emulator.terminate()
            emulator.wait()
        self.serves, self.emulators = {}, []

    def close(self) -> None:
        self.stop_serves()
        for child, _ in self.anchors.values():
            child.terminate()
            child.wait()


def measure(targets: Targets, name: str, connections: int, requests: int, latency_ms: int) -> Run:
    serve = targets.serves.get(name)
    urls = targets.stand.response_urls(requests + connections) if serve else None
    script = targets.work / f"{name}.lua"
    wrk_script(bodies_for(requests + connections, urls), script)
    run = run_wrk(targets.url(name), script, connections=connections, requests=requests)
    if serve is not None:
        # Idle for longer than one ACS call takes: nothing is still waiting on ACS.
        quiet = max(0.5, 1.5 * latency_ms / 1000)
        waited = _stack.settle(serve.process.pid, window=quiet, timeout=600)
        print(f"    {name}: the creations behind those acks finished {waited:.1f} s later")
    return run


def measure_latency(targets: Targets, latency_ms: int, chosen: argparse.Namespace) -> dict:
    targets.start_serves(latency_ms)
    for name in TARGETS:  # warm-up: imports, auth.test, first connections, first identity
        measure(targets, name, 1, 20, latency_ms)
    results: dict[tuple[str, str], Run] = {}
    for mode, connections, requests in (
        ("serial", 1, chosen.serial),
        ("c", chosen.concurrent, chosen.burst),
    ):
        for name in TARGETS:
            results[name, mode] = measure(targets, name, connections, requests, latency_ms)
    cards = targets.stand.counts("chat.postMessage")["chat.postMessage"]
    print(f"    room cards posted by serve and threads so far: {cards}")
    return results


def report(latency_ms: int, results: dict, concurrent: int) -> list[bool]:
    floor_serial = results["floor", "serial"].p50_ms
    floor_c = results["floor", "c"]
    print(f"\nACS emulator latency {latency_ms} ms")
    columns = ["serial p50", f"c{concurrent} p50", f"c{concurrent} p99"]
    print(f"  {'target':<7} " + " ".join(f"{c:>16}" for c in columns) + "   requests (non-2xx)")
    for name in TARGETS:
        serial, c = results[name, "serial"], results[name, "c"]
        cells = [
            (serial.p50_ms, floor_serial),
            (c.p50_ms, floor_c.p50_ms),
            (c.p99_ms, floor_c.p99_ms),
        ]
        text = " ".join(f"{v:8.2f} ms {v / f:4.1f}x" for v, f in cells)
        print(f"  {name:<7} {text}   {serial.requests}+{c.requests} ({serial.bad + c.bad})")
    serve_serial, serve_c = results["serve", "serial"], results["serve", "c"]
    serial_ok = serve_serial.p50_ms <= GOAL_SERIAL_RATIO * floor_serial
    p99_ok = serve_c.p99_ms <= GOAL_P99_RATIO * floor_c.p99_ms
    print(
        f"  serve serial p50 {serve_serial.p50_ms / floor_serial:.2f}x floor "
        f"({'meets' if serial_ok else 'MISSES'} <= {GOAL_SERIAL_RATIO}x); "
        f"c{concurrent} p99 {serve_c.p99_ms / floor_c.p99_ms:.2f}x floor "
        f"({'meets' if p99_ok else 'MISSES'} <= {GOAL_P99_RATIO}x)"
    )
    return [serial_ok, p99_ok, serve_serial.bad + serve_c.bad == 0]


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serial", type=int, default=300, help="serial requests (default 300)")
    parser.add_argument("--concurrent", type=int, default=50, help="connections (default 50)")
    parser.add_argument(
        "--burst", type=int, default=1000, help="requests in the concurrent run (default 1000)"
    )
    parser.add_argument(
        "--latencies", default="0,2000", help="ACS emulator latencies in ms (default 0,2000)"
    )
    parser.add_argument("--postgres", metavar="URL", help="serve on this PostgreSQL database")
    return parser.parse_args()


def main() -> int:
    chosen = options()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install -y wrk)")
        return 2
    verdicts: list[bool] = []
    all_results = {}
    with _stack.workdir() as work, _stack.standin(channels=CHANNELS) as stand:
        _stack.lower_priority(stand.process.pid)
        targets = Targets(stand, work, _stack.database_url(chosen.postgres, work))
        try:
            for latency_ms in [int(v) for v in chosen.latencies.split(",")]:
                print(f"measuring with ACS latency {latency_ms} ms ...")
                all_results[latency_ms] = measure_latency(targets, latency_ms, chosen)
        finally:
            targets.close()
    for latency_ms, results in all_results.items():
        verdicts += report(latency_ms, results, chosen.concurrent)
    serial = [r["serve", "serial"].p50_ms for r in all_results.values()]
    print(f"\nserve serial p50 across latencies: {', '.join(f'{v:.2f} ms' for v in serial)}")
    print(f"median of those: {statistics.median(serial):.2f} ms")
    print(f"\nverdict: {'all goals met' if all(verdicts) else 'goal MISSED (see above)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
