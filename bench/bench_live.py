"""Event to card: the time from a calling event's arrival at RoomBot's Event Grid webhook to the
card's chat.update reaching Slack, for single events and for bursts of 50 joins, next to the
anchors of the same run.

Usage: uv run python bench/bench_live.py [--singles 20] [--bursts 3] [--burst-size 50]

RoomBot as the console builds it (the real Bolt app, a SQLite store, the ACS emulator, the Slack
stand-in), one process: its webhook on its own HTTP server (waitress, as `roombot serve`), its
live-call loop in a thread, the stand-in stamping each chat.update as it arrives. A room is
created with `/room create`, so its card is in #general. Each event is POSTed as Event Grid
does (one event per request) and timed from just before the POST until the first chat.update
whose card shows it.

Single events are spaced 1.2 s apart (past the card's one-update-a-second pacing); a burst
sends 50 joins back to back, so all but the first wait for the coalesced update. Anchors: one
chat.update straight to the stand-in (the floor any card update pays), one webhook POST
(storing the event), and the pacing interval itself (1 s).

Targets: p50 <= 1.5 s including coalescing; never more than one card update per second.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import itertools
import json
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import _stack
from pydantic import SecretStr

sys.path.insert(0, str(_stack.ROOT))

from slack_sdk import WebClient

from acs_emulator import EmulatorConfig, start_emulator
from bot.adapters.acs import make_acs_gateways
from bot.app import build_services, console_session
from bot.background.live_call_loop import start_live_call_loop
from bot.config import Settings
from bot.run_modes.http_server import HttpServer
from bot.services.domain import RoomKey, Workspace
from bot.web.assembly import acs_events_web
from slack_standin import demo_workspace, start_slack_standin
from tests.support.calling_events import body, calling_event

SECRET = "bench-eventgrid-secret-0123456789"  # noqa: S105 - this bench's own
GOAL_P50_S, PACING_S = 1.5, 1.0
COUNT = re.compile(r"(\d+) in the call")


class Card:
    """Every chat.update of the card, stamped on arrival, with the count it shows."""

    def __init__(self) -> None:
        self.updates: list[tuple[float, int]] = []
        self.arrived = threading.Condition()

    def hear(self, call: Any) -> None:
        if call.method != "chat.update" or not call.ok:
            return
        text = json.dumps(call.args.get("blocks", []))
        found = COUNT.search(text)
        with self.arrived:
            self.updates.append((time.perf_counter(), int(found.group(1)) if found else -1))
            self.arrived.notify_all()

    def first_showing(self, since: float, count: int, timeout: float = 20.0) -> float:
        """When the first update after `since` showing `count` or more people arrived."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for at, shown in self.updates:
                    if at >= since and shown >= count:
                        return at
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no card update showing {count}")
                self.arrived.wait(left)


def main() -> int:
    chosen = options()
    with (
        tempfile.TemporaryDirectory() as work,
        start_slack_standin(demo_workspace()) as standin,
        start_emulator(EmulatorConfig()) as acs,
    ):
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            roombot_data_dir=Path(work),
            roombot_public_url="http://localhost:1",
            roombot_session_secret=SecretStr("bench-session-secret-0123456789abcdef"),
            roombot_eventgrid_secret=SecretStr(SECRET),
            slack_signing_secret=SecretStr("bench-signing-secret"),
        )
        gateways = make_acs_gateways(connection_string=acs.connection_string)
        services = build_services(settings, gateways=gateways)
        client = WebClient(token=standin.bot_token, base_url=standin.base_url)
        session = console_session(services, standin, settings, "ana", "general")
        with contextlib.redirect_stdout(io.StringIO()):  # the console's transcript of it
            session.handle("/room create Bench crit for 2h")
            session.settle()
        team = standin.workspace.team_id
        hook = acs_events_web(settings, services, lambda ws: ws.team_id == team)
        assert hook is not None
        server = HttpServer(host="127.0.0.1", port=0)
        server.start(hook)
        start_live_call_loop(services, lambda _ws: client)
        card = Card()
        standin.subscribe(card.hear)
        try:
            room = services.rooms.get(Workspace("", team), RoomKey(number=1))
            return measure(chosen, server.port, room, card, client)
        finally:
            server.stop(grace_s=1)
            session.executor.shutdown(wait=True)
            services.close()


def measure(chosen: argparse.Namespace, port: int, room: Any, card: Card, client: WebClient) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    starter = room.members[0].acs_id

    def send(kind: str, call: str, user: str | None = None) -> float:
        event = calling_event(
            kind,
            room_id=room.acs_room_id,
            call=call,
            at=datetime.now(UTC),
            starter=starter,
            user=user,
            participant_id=None if user is None else f"{call}:{user}",
        )
        started = time.perf_counter()
        connection.request("POST", f"/acs/events?code={SECRET}", body=body(event))
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 200, answer.status
        return started

    def guest(index: int) -> str:
        return f"8:acs:bench_{index:05d}"

    # Anchors: one chat.update straight to Slack; one webhook POST; the pacing interval.
    update_rt = []
    for _ in range(10):
        began = time.perf_counter()
        client.chat_update(channel=room.channel_id, ts=room.card_ts, text="anchor", blocks=[])
        update_rt.append(time.perf_counter() - began)
    after_anchors = len(card.updates)
    call = f"bench-{uuid.uuid4().hex[:8]}"
    post_rt = []
    send("started", call)
    time.sleep(PACING_S * 1.2)

    singles = []
    for index in range(chosen.singles):
        began = send("added", call, guest(index))
        post_rt.append(time.perf_counter() - began)
        singles.append(card.first_showing(began, index + 1) - began)
        time.sleep(PACING_S * 1.2)

    burst_latencies: list[float] = []
    per_burst_updates: list[int] = []
    gaps: list[float] = []
    offset = chosen.singles
    for _ in range(chosen.bursts):
        time.sleep(PACING_S * 1.5)
        first = len(card.updates)
        sent = [send("added", call, guest(offset + i)) for i in range(chosen.burst_size)]
        for index, began in enumerate(sent):
            burst_latencies.append(card.first_showing(began, offset + index + 1) - began)
        offset += chosen.burst_size
        time.sleep(PACING_S * 1.2)
        stamps = [at for at, _ in card.updates[first:]]
        per_burst_updates.append(len(stamps))
        gaps += [b - a for a, b in itertools.pairwise(stamps)]
    every = [at for at, _ in card.updates[after_anchors:]]
    all_gaps = [b - a for a, b in itertools.pairwise(every)]

    report(
        singles=singles,
        burst=burst_latencies,
        update_rt=update_rt,
        post_rt=post_rt,
        per_burst=per_burst_updates,
        min_gap=found_gap(all_gaps),
    )
    p50_single, p50_burst = statistics.median(singles), statistics.median(burst_latencies)
    ok = max(p50_single, p50_burst) <= GOAL_P50_S and found_gap(all_gaps) >= PACING_S * 0.95
    print(
        f"goal p50 <= {GOAL_P50_S} s and >= {PACING_S} s between card updates: "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0


def found_gap(gaps: list[float]) -> float:
    return min(gaps) if gaps else float("inf")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(value: float) -> str:
    return f"{value * 1000:8.1f} ms"


def report(**found: Any) -> None:
    print("event to card (arrival at the webhook -> chat.update at Slack)")
    for name in ("singles", "burst"):
        values = found[name]
        print(
            f"  {name:8} n={len(values):4}  p50 {ms(statistics.median(values))}"
            f"  p99 {ms(pct(values, 0.99))}  max {ms(max(values))}"
        )
    print(
        f"  card updates per burst: {found['per_burst']}; "
        f"shortest gap between updates: {ms(found['min_gap'])}"
    )
    print("anchors (same run)")
    print(f"  chat.update round trip   p50 {ms(statistics.median(found['update_rt']))}")
    print(f"  webhook POST round trip  p50 {ms(statistics.median(found['post_rt']))}")
    print(f"  card pacing interval         {ms(PACING_S)}")


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--singles", type=int, default=20)
    parser.add_argument("--bursts", type=int, default=3)
    parser.add_argument("--burst-size", type=int, default=50)
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(main())
