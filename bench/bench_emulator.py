"""Throughput of the ACS emulator: signed keep-alive traffic from several client processes.

Usage: uv run python bench/bench_emulator.py [--duration 10] [--clients 4] [--data-dir DIR]
       [--anchor DIR ...]

The emulator runs in its own process (`python -m acs_emulator`), so the load generators do not
share its GIL. Each client process keeps one HTTP/1.1 connection and sends, all correctly
HMAC-signed, first a mix (60 % GET room, 20 % create room, 20 % participants PATCH), then only
GETs of a room (the plainest signed request: what the HTTP layer costs).

--anchor DIR (repeatable) runs the same workloads, in the same run, against the `acs_emulator`
package in DIR (a copy of the code before a change, say) and prints its figures under this
tree's.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _emulator_load import ACCESS_KEY, client, seed_rooms

GOAL_REQUESTS_PER_SECOND = 1_000
ROOT = Path(__file__).resolve().parents[1]
WORKLOAD_TITLES = {
    "mix": "mix: 60 % GET room, 20 % create room, 20 % participants PATCH",
    "get": "signed GET of a room",
}


@dataclass
class Figures:
    requests: int
    rate: float
    p50_ms: float
    p99_ms: float
    failures: int
    cpu_ms_per_request: float | None  # the emulator process's CPU; None off Linux


def start_server(
    package_root: Path, data_dir: Path | None
) -> tuple[subprocess.Popen[str], str, int]:
    """The emulator CLI of the package under `package_root` in a child process (run from there,
    so that is the package imported); waits for its endpoint (its first stdout line)."""
    command = [sys.executable, "-m", "acs_emulator", "--port", "0", "--access-key", ACCESS_KEY]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    environment = {**os.environ, "PYTHONPATH": str(package_root)}
    server = subprocess.Popen(
        command, cwd=package_root, env=environment, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert server.stdout is not None
    endpoint = server.stdout.readline().split(";")[0].removeprefix("endpoint=http://").rstrip("/")
    host, port = endpoint.rsplit(":", 1)
    return server, host, int(port)


def measure_target(
    package_root: Path, data_dir: Path | None, chosen: argparse.Namespace
) -> dict[str, Figures]:
    """Every workload against one emulator process, in order."""
    server, host, port = start_server(package_root, data_dir)
    try:
        room_ids = seed_rooms(host, port, 50)
        return {
            workload: run_workload(server.pid, host, port, workload, room_ids, chosen)
            for workload in WORKLOAD_TITLES
        }
    finally:
        server.terminate()
        server.wait(timeout=10)


def run_workload(
    pid: int, host: str, port: int, workload: str, room_ids: list[str], chosen: argparse.Namespace
) -> Figures:
    deadline = time.time() + chosen.duration
    jobs = [(host, port, workload, room_ids, worker, deadline) for worker in range(chosen.clients)]
    cpu_before = cpu_seconds(pid)
    with multiprocessing.Pool(chosen.clients) as pool:
        results = pool.map(client, jobs)
    cpu_after = cpu_seconds(pid)
    latencies = [latency for batch, _ in results for latency in batch]
    used = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    return figures(latencies, sum(failures for _, failures in results), chosen.duration, used)


def figures(latencies: list[float], failures: int, duration: float, cpu: float | None) -> Figures:
    cuts = statistics.quantiles(latencies, n=100)
    cpu_ms = None if cpu is None else cpu / len(latencies) * 1000
    rate = len(latencies) / duration
    return Figures(len(latencies), rate, cuts[49] * 1000, cuts[98] * 1000, failures, cpu_ms)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process (Linux /proc); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(results: dict[str, dict[str, Figures]], chosen: argparse.Namespace) -> None:
    print(f"clients: {chosen.clients} processes, {chosen.duration:.1f} s per workload and target")
    width = max(len(label) for label in results)
    for workload, title in WORKLOAD_TITLES.items():
        print(f"{title}:")
        for label, by_workload in results.items():
            print(f"  {label:<{width}}  {line(by_workload[workload])}")


def line(result: Figures) -> str:
    """The emulator's CPU per request separates "the emulator is slow" from "the load
    generators share its cores"."""
    verdict = "meets" if result.rate >= GOAL_REQUESTS_PER_SECOND else "BELOW"
    text = (
        f"{result.rate:>6,.0f} req/s ({verdict} >= {GOAL_REQUESTS_PER_SECOND:,}), "
        f"p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms, non-2xx {result.failures}"
    )
    if result.cpu_ms_per_request:
        per_core = 1000 / result.cpu_ms_per_request
        text += f", emulator CPU {result.cpu_ms_per_request:.3f} ms/req (~{per_core:,.0f}/core)"
    return text


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per workload")
    parser.add_argument("--clients", type=int, default=4, help="client processes (default 4)")
    parser.add_argument("--data-dir", type=Path, help="run the emulator on a SQLite file here")
    parser.add_argument(
        "--anchor", type=Path, action="append", default=[],
        help="a directory holding another acs_emulator (repeatable)",
    )  # fmt: skip
    return parser.parse_args()


def main() -> int:
    chosen = options()
    targets = {"this tree": ROOT}
    targets.update({f"anchor ({anchor})": anchor.resolve() for anchor in chosen.anchor})
    results = {
        label: measure_target(root, data_dir_for(chosen.data_dir, index), chosen)
        for index, (label, root) in enumerate(targets.items())
    }
    report(results, chosen)
    return 0


def data_dir_for(data_dir: Path | None, index: int) -> Path | None:
    """One directory per target: an anchor must not read this tree's database."""
    return None if data_dir is None else data_dir / f"target-{index}"


if __name__ == "__main__":
    sys.exit(main())
