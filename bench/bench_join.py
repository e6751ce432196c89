"""Joining from the join page: the time from POST /api/rooms/<key>/join to the token in hand,
next to one ACS round trip in the same run, and the bytes a first and a repeat join download.

Usage: uv run python bench/bench_join.py [--joins 60] [--latency-ms 100]

RoomBot's join page (bot/web) runs on its own HTTP server (waitress, as `roombot serve`), on a
SQLite store, against the ACS emulator in a child process answering every request after
--latency-ms. The anchor is one token issued straight through the ACS Identity SDK client: the
one ACS round trip a join cannot avoid. The session is minted as the sign-in would leave it
(sign-in itself is not timed). Bytes: the page, its stylesheet and scripts, the Calling SDK and
its two shims (gzip accepted, as browsers do) and the join answer; a repeat join within the
scripts' cache lifetime downloads the page and the join answer only (the SDK's URLs are
immutable). Needs the SDK build: cd bot/web && npm ci && npm run build.

Targets: join p50 <= 1.1x the ACS round trip; first join <= 2 MB; repeat join <= 30 KB.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import _stack
from pydantic import SecretStr

sys.path.insert(0, str(_stack.ROOT))

from bot.adapters.acs import make_acs_gateways
from bot.app import build_services
from bot.config import Settings
from bot.run_modes.http_server import HttpServer
from bot.services.domain import Role, Workspace
from bot.services.new_room import NewRoom
from bot.web.assembly import join_web
from bot.web.sessions import Cookies

GOAL_RATIO, GOAL_FIRST_BYTES, GOAL_REPEAT_BYTES = 1.1, 2_000_000, 30_000
SESSION_SECRET = "bench-session-secret-0123456789abcdefgh"  # noqa: S105 - this bench's own
WS = Workspace("", "T0BENCH")
BEN = "U0BENCHBEN"


def main() -> int:
    chosen = options()
    emulator, acs = _stack.start_emulator(chosen.latency_ms)
    server = HttpServer(host="localhost", port=0)
    try:
        with tempfile.TemporaryDirectory() as work:
            return measure(chosen, acs, server, Path(work))
    finally:
        server.stop(grace_s=1)
        emulator.terminate()
        emulator.wait()


def measure(chosen: argparse.Namespace, acs: str, server: HttpServer, work: Path) -> int:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        acs_connection_string=SecretStr(acs),
        database_url=f"sqlite:///{work / 'roombot.db'}",
        roombot_public_url=f"http://localhost:{server.port}",
        roombot_session_secret=SecretStr(SESSION_SECRET),
    )
    services = build_services(settings)
    web = join_web(settings, services, lambda ws: ws.team_id == WS.team_id)
    assert web is not None
    server.start(web)
    room = make_room(services)
    cookies = Cookies(SESSION_SECRET)
    cookie = cookies.new_session(team_id=WS.team_id, enterprise_id="", user_id=BEN, name="Ben")
    session = cookies.session(cookie)
    assert session is not None
    headers = {"Cookie": f"roombot_session={cookie}", "X-RoomBot-CSRF": session.csrf}
    member = next(m for m in room.members if m.slack_user_id == BEN)
    acs_ms = anchor(acs, member.acs_id, chosen.joins)
    join_ms = joins(server.port, room.join_key, headers, chosen.joins)
    first, repeat = downloads(server.port, room.join_key, headers)
    services.close()
    report(chosen, acs_ms, join_ms, first, repeat)
    return 0


def make_room(services):  # type: ignore[no-untyped-def]
    now = services.clock()
    request = NewRoom(
        workspace=WS,
        organizer_id=BEN,
        title="Bench join",
        valid_from=now,
        valid_until=now + timedelta(hours=2),
        members={BEN: Role.PRESENTER},
        pstn_dial_out_enabled=False,
        channel_id=None,
        creation_key=uuid.uuid4().hex,
    )
    return services.rooms.create(request).room


def anchor(acs: str, acs_id: str, count: int) -> list[float]:
    """One ACS round trip: a token issued through the Identity SDK client, as a join does."""
    _rooms, gateway = make_acs_gateways(connection_string=acs)
    times = []
    for _ in range(count + 3):
        start = time.perf_counter()
        gateway.issue_voip_token(acs_id, expires_in=timedelta(hours=1))
        times.append((time.perf_counter() - start) * 1000)
    gateway.close()
    return times[3:]


def joins(port: int, key: str, headers: dict[str, str], count: int) -> list[float]:
    connection = http.client.HTTPConnection("localhost", port)
    times = []
    for _ in range(count + 3):
        start = time.perf_counter()
        connection.request("POST", f"/api/rooms/{key}/join", headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        times.append((time.perf_counter() - start) * 1000)
        if answer.status != 200 or b'"token"' not in body:
            raise RuntimeError(f"join answered {answer.status}")
    return times[3:]


def downloads(port: int, key: str, headers: dict[str, str]) -> tuple[int, int]:
    connection = http.client.HTTPConnection("localhost", port)
    gzip_ok = {"Accept-Encoding": "gzip, deflate, br"}

    def fetch(method: str, path: str, extra: dict[str, str] | None = None) -> tuple[int, bytes]:
        connection.request(method, path, headers=gzip_ok | (extra or {}))
        answer = connection.getresponse()
        body = answer.read()
        head = sum(len(f"{k}: {v}\r\n") for k, v in answer.getheaders()) + 17
        if answer.status != 200:
            raise RuntimeError(f"{method} {path} answered {answer.status}")
        return head + len(body), body

    page_bytes, page = fetch("GET", f"/r/{key}", headers)
    scripts = re.findall(rb'"(/static/vendor/[^"]+)"', page)
    own = ["/static/join.css", "/static/join.js", "/static/calling-sdk.js"]
    first = page_bytes + sum(fetch("GET", path)[0] for path in own)
    first += sum(fetch("GET", path.decode())[0] for path in scripts)
    join_bytes = fetch("POST", f"/api/rooms/{key}/join", headers)[0]
    first += join_bytes
    repeat = page_bytes + join_bytes
    return first, repeat


def report(
    chosen: argparse.Namespace, acs_ms: list[float], join_ms: list[float], first: int, repeat: int
) -> None:
    acs_p50, join_p50 = statistics.median(acs_ms), statistics.median(join_ms)
    ratio = join_p50 / acs_p50
    print(f"ACS emulator latency {chosen.latency_ms} ms, {chosen.joins} joins")
    print(f"  one ACS round trip (token via the SDK): p50 {acs_p50:7.1f} ms")
    print(f"  POST /join to token in hand:            p50 {join_p50:7.1f} ms  {ratio:.2f}x")
    print(f"  first join: {first / 1e6:.2f} MB    repeat join: {repeat / 1e3:.1f} KB")
    verdicts = [
        ratio <= GOAL_RATIO,
        first <= GOAL_FIRST_BYTES,
        repeat <= GOAL_REPEAT_BYTES,
    ]
    print(
        f"  goals: join <= {GOAL_RATIO}x ({'met' if verdicts[0] else 'MISSED'}); first <= 2 MB "
        f"({'met' if verdicts[1] else 'MISSED'}); repeat <= 30 KB "
        f"({'met' if verdicts[2] else 'MISSED'})"
    )


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--joins", type=int, default=60, help="timed joins (default 60)")
    parser.add_argument("--latency-ms", type=int, default=100, help="ACS latency (default 100)")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main())
