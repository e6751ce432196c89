"""Several `roombot reminders` processes on one PostgreSQL database: each reminder is posted
exactly once, and a worker killed mid-batch loses none (it may repeat what was in flight).

The stand-in runs here; the workers reach it over loopback through SLACK_API_URL, each with a
token of its own so the test can tell who posted what."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import Engine, func
from sqlmodel import col, select

from slack_standin import RunningStandin, SlackCall
from storage.models import ReminderRow, RoomRow
from storage.session import session_scope

ROOT = Path(__file__).resolve().parents[3]
ANA, GENERAL = "U06ANA1001", "C0GENERAL"


@pytest.fixture(autouse=True)
def _postgresql_only(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("several worker processes need PostgreSQL (set TEST_DATABASE_URL)")


def seed_rooms(engine: Engine, standin: RunningStandin, count: int) -> list[str]:
    """`count` active rooms, each with a card in #general; returns the cards' ts."""
    cards = [standin.post_user_message(GENERAL, ANA, f"card {i}") for i in range(count)]
    now = datetime.now(UTC)
    rows = [
        {
            **{"enterprise_id": "", "team_id": "T0DEMO", "number": i + 1, "title": "Sync"},
            **{"creation_key": f"k{i}", "acs_room_id": f"acs-{i}", "title_key": "sync"},
            **{"organizer_id": ANA, "channel_id": GENERAL, "card_ts": ts, "state": "active"},
            **{"valid_from": now - timedelta(minutes=1), "valid_until": now + timedelta(hours=1)},
            **{"pstn_dial_out_enabled": False, "created_at": now, "updated_at": now},
        }
        for i, ts in enumerate(cards)
    ]
    with engine.begin() as connection:
        connection.execute(RoomRow.__table__.insert(), rows)  # type: ignore[attr-defined]
    return cards


def make_due(engine: Engine) -> None:
    """An "open" notice due for every room, all committed at once."""
    with session_scope(engine) as session:
        rooms = session.exec(select(RoomRow.id, RoomRow.valid_from)).all()
        values = [
            {"enterprise_id": "", "team_id": "T0DEMO", "room_id": room_id, "kind": "open"}
            | {"lead_seconds": 0, "due_at": start, "state": "pending", "attempts": 0}
            | {"created_at": start}
            for room_id, start in rooms
        ]
        session.connection().execute(ReminderRow.__table__.insert(), values)  # type: ignore[attr-defined]


def sent_count(engine: Engine) -> int:
    with session_scope(engine) as session:
        statement = select(func.count()).where(col(ReminderRow.state) == "sent")
        return int(session.exec(statement).one())


class Workers:
    """`roombot reminders` processes, each with its own bot token."""

    def __init__(self, engine_url: str, standin: RunningStandin, tmp_path: Path) -> None:
        self.engine_url, self.standin, self.tmp_path = engine_url, standin, tmp_path
        self.running: dict[str, subprocess.Popen[str]] = {}
        self.logs: list[IO[str]] = []

    def start(self, name: str, *, lease_seconds: float = 30) -> subprocess.Popen[str]:
        token = f"xoxb-{name}"
        self.standin.allow_token(token)
        inherited = {
            k: v for k, v in os.environ.items() if not k.startswith(("ROOMBOT_", "SLACK_"))
        }
        env = inherited | {
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.engine_url,
            "SLACK_BOT_TOKEN": token,
            "SLACK_API_URL": self.standin.base_url,
            "ROOMBOT_REMINDER_POLL_SECONDS": "0.05",
        }
        env.pop("ACS_CONNECTION_STRING", None)
        log = (self.tmp_path / f"{name}.log").open("w")
        self.logs.append(log)
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "reminders", "--lease-seconds", str(lease_seconds)],
            cwd=self.tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        self.running[name] = process
        return process

    def wait_ready(self) -> None:
        for name, process in self.running.items():
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("reminder loop "), (self.tmp_path / f"{name}.log").read_text()

    def stop_all(self) -> list[int | None]:
        for process in self.running.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        return [process.wait(timeout=20) for process in self.running.values()]


@pytest.fixture
def workers(engine_url: str, standin: RunningStandin, tmp_path: Path) -> Iterator[Workers]:
    started = Workers(engine_url, standin, tmp_path)
    yield started
    for process in started.running.values():
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    for log in started.logs:
        log.close()


def wait_until(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def thread_posts(standin: RunningStandin, cards: list[str]) -> list[SlackCall]:
    wanted = set(cards)
    return [
        call
        for call in standin.calls("chat.postMessage")
        if call.ok and call.args.get("thread_ts") in wanted
    ]


def test_three_worker_processes_post_each_of_2000_reminders_exactly_once(
    engine: Engine, standin: RunningStandin, workers: Workers
) -> None:
    cards = seed_rooms(engine, standin, 2000)
    for name in ("w1", "w2", "w3"):
        workers.start(name)
    workers.wait_ready()
    make_due(engine)
    wait_until(lambda: sent_count(engine) == 2000, timeout=60)
    assert workers.stop_all() == [0, 0, 0]
    posted = thread_posts(standin, cards)
    per_card = Counter(call.args["thread_ts"] for call in posted)
    assert (len(per_card), set(per_card.values())) == (2000, {1})
    assert len({call.token for call in posted}) == 3  # all three took a share


def test_a_worker_killed_mid_batch_loses_no_reminder_and_repeats_only_what_was_in_flight(
    engine: Engine, standin: RunningStandin, workers: Workers
) -> None:
    cards = seed_rooms(engine, standin, 300)
    stuck, release = threading.Event(), threading.Event()

    def hang_on_the_120th_post(call: SlackCall) -> None:
        if call.method == "chat.postMessage" and len(standin.calls("chat.postMessage")) == 120:
            stuck.set()  # this post reached Slack ...
            release.wait(20)  # ... but its answer is held back until the worker is dead

    standin.subscribe(hang_on_the_120th_post)
    first = workers.start("w1", lease_seconds=2)
    workers.wait_ready()
    make_due(engine)
    assert stuck.wait(20)
    first.send_signal(signal.SIGKILL)
    first.wait()
    release.set()
    with session_scope(engine) as session:
        leased = select(func.count()).where(
            col(ReminderRow.state) == "pending", col(ReminderRow.lease_owner).is_not(None)
        )
        in_flight = int(session.exec(leased).one())
    workers.start("w2", lease_seconds=2)
    wait_until(lambda: sent_count(engine) == 300, timeout=60)
    per_card = Counter(call.args["thread_ts"] for call in thread_posts(standin, cards))
    repeated = [ts for ts, times in per_card.items() if times > 1]
    assert len(per_card) == 300  # none lost
    assert 0 < in_flight <= 50  # killed inside a batch of at most 50
    assert repeated == [standin.calls("chat.postMessage")[119].args["thread_ts"]]
