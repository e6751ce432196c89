"""Throughput of the ACS emulator: signed keep-alive traffic from several client processes.

Usage: uv run python bench/bench_emulator.py [--duration 10] [--clients 4] [--data-dir DIR]

The emulator runs in its own process (`python -m acs_emulator`), so the load generators do not
share its GIL. Each client process keeps one HTTP/1.1 connection and sends a fixed mix:
60 % GET room, 20 % create room, 20 % participants PATCH, all correctly HMAC-signed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from email.utils import formatdate
from pathlib import Path

GOAL_REQUESTS_PER_SECOND = 1_000
ACCESS_KEY = base64.b64encode(b"bench-emulator-key-0123456789abc").decode()
API = "?api-version=2025-03-13"
SIGNED_HEADERS = "x-ms-date;host;x-ms-content-sha256"
MIX = ["get", "get", "get", "create", "patch"]  # 60 % GET, 20 % create, 20 % PATCH


class SignedConnection:
    """One keep-alive connection that signs like the ACS SDKs (ACS_REST.md §1)."""

    def __init__(self, host: str, port: int) -> None:
        self._connection = http.client.HTTPConnection(host, port, timeout=30)
        self._host = f"{host}:{port}"
        self._key = base64.b64decode(ACCESS_KEY)

    def send(self, method: str, target: str, body: bytes = b"") -> tuple[int, bytes]:
        self._connection.request(
            method, target, body=body, headers=self._headers(method, target, body)
        )
        response = self._connection.getresponse()
        return response.status, response.read()

    def _headers(self, method: str, target: str, body: bytes) -> dict[str, str]:
        date = formatdate(usegmt=True)
        body_hash = base64.b64encode(hashlib.sha256(body).digest()).decode()
        text = f"{method}\n{target}\n{date};{self._host};{body_hash}"
        mac = base64.b64encode(hmac.new(self._key, text.encode(), hashlib.sha256).digest()).decode()
        return {
            "x-ms-date": date,
            "x-ms-content-sha256": body_hash,
            "Authorization": f"HMAC-SHA256 SignedHeaders={SIGNED_HEADERS}&Signature={mac}",
            "Content-Type": "application/json",
        }


def start_server(data_dir: Path | None) -> tuple[subprocess.Popen[str], str, int]:
    """The emulator CLI in a child process; waits for its endpoint (its first stdout line)."""
    command = [sys.executable, "-m", "acs_emulator", "--port", "0", "--access-key", ACCESS_KEY]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert server.stdout is not None
    endpoint = server.stdout.readline().split(";")[0].removeprefix("endpoint=http://").rstrip("/")
    host, port = endpoint.rsplit(":", 1)
    return server, host, int(port)


def seed_rooms(host: str, port: int, count: int) -> list[str]:
    connection = SignedConnection(host, port)
    return [
        json.loads(connection.send("POST", f"/rooms{API}", b"{}")[1])["id"] for _ in range(count)
    ]


def client(args: tuple[str, int, list[str], int, float]) -> tuple[list[float], int]:
    """Runs the mix until the deadline; returns latencies (s) and the count of non-2xx answers."""
    host, port, room_ids, worker, deadline = args
    connection = SignedConnection(host, port)
    latencies: list[float] = []
    failures = 0
    while time.time() < deadline:
        method, target, body = request_for(
            MIX[len(latencies) % len(MIX)], room_ids, worker, len(latencies)
        )
        started = time.perf_counter()
        status, _ = connection.send(method, target, body)
        latencies.append(time.perf_counter() - started)
        failures += not 200 <= status < 300
    return latencies, failures


def request_for(kind: str, room_ids: list[str], worker: int, index: int) -> tuple[str, str, bytes]:
    room_id = room_ids[index % len(room_ids)]
    if kind == "get":
        return "GET", f"/rooms/{room_id}{API}", b""
    if kind == "create":
        return "POST", f"/rooms{API}", b'{"participants":{}}'
    user = f"8:acs:bench_{worker}_{index % 20}"
    body = json.dumps({"participants": {user: {"role": "Attendee"}}}).encode()
    return "PATCH", f"/rooms/{room_id}/participants{API}", body


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process (Linux /proc); None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(latencies: list[float], failures: int, duration: float, clients: int) -> None:
    rate = len(latencies) / duration
    cuts = statistics.quantiles(latencies, n=100)
    verdict = "meets" if rate >= GOAL_REQUESTS_PER_SECOND else "BELOW"
    print(f"clients: {clients} processes, duration: {duration:.1f} s, requests: {len(latencies)}")
    goal = f"{verdict} the goal of >= {GOAL_REQUESTS_PER_SECOND:,} req/s"
    print(f"throughput: {rate:,.0f} req/s ({goal})")
    print(f"latency: p50 {cuts[49] * 1000:.2f} ms, p99 {cuts[98] * 1000:.2f} ms")
    print(f"non-2xx answers: {failures}")


def report_server_cpu(cpu: float | None, requests: int, duration: float) -> None:
    """Separates "the emulator is slow" from "the load generators share its cores"."""
    if cpu is None or not requests:
        return
    per_request_ms = cpu / requests * 1000
    print(
        f"emulator CPU: {cpu / duration:.0%} of one core, {per_request_ms:.3f} ms per request"
        f" (~{1000 / per_request_ms:,.0f} req/s per core)"
    )


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load (default 10)")
    parser.add_argument("--clients", type=int, default=4, help="client processes (default 4)")
    parser.add_argument("--data-dir", type=Path, help="run the emulator on a SQLite file here")
    return parser.parse_args()


def main() -> int:
    chosen = options()
    server, host, port = start_server(chosen.data_dir)
    try:
        room_ids = seed_rooms(host, port, 50)
        cpu_before = cpu_seconds(server.pid)
        results = run_clients(host, port, room_ids, chosen.clients, chosen.duration)
        cpu_after = cpu_seconds(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies = [latency for batch, _ in results for latency in batch]
    report(latencies, sum(failures for _, failures in results), chosen.duration, chosen.clients)
    used = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    report_server_cpu(used, len(latencies), chosen.duration)
    return 0


def run_clients(
    host: str, port: int, room_ids: list[str], clients: int, duration: float
) -> list[tuple[list[float], int]]:
    deadline = time.time() + duration
    jobs = [(host, port, room_ids, worker, deadline) for worker in range(clients)]
    with multiprocessing.Pool(clients) as pool:
        return pool.map(client, jobs)


if __name__ == "__main__":
    sys.exit(main())
