"""Load for bench_emulator: client processes, each on one signed HTTP/1.1 keep-alive connection."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import time
from email.utils import formatdate

ACCESS_KEY = base64.b64encode(b"bench-emulator-key-0123456789abc").decode()
API = "?api-version=2025-03-13"
SIGNED_HEADERS = "x-ms-date;host;x-ms-content-sha256"
WORKLOADS = {
    "mix": ["get", "get", "get", "create", "patch"],  # 60 % GET, 20 % create, 20 % PATCH
    "get": ["get"],  # signed GET of a room only: what the HTTP layer costs, little else
}


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


def seed_rooms(host: str, port: int, count: int) -> list[str]:
    connection = SignedConnection(host, port)
    return [
        json.loads(connection.send("POST", f"/rooms{API}", b"{}")[1])["id"] for _ in range(count)
    ]


def client(args: tuple[str, int, str, list[str], int, float]) -> tuple[list[float], int]:
    """Runs a workload until the deadline; returns latencies (s) and the count of non-2xx."""
    host, port, workload, room_ids, worker, deadline = args
    kinds = WORKLOADS[workload]
    connection = SignedConnection(host, port)
    latencies: list[float] = []
    failures = 0
    while time.time() < deadline:
        index = len(latencies)
        method, target, body = request_for(kinds[index % len(kinds)], room_ids, worker, index)
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
