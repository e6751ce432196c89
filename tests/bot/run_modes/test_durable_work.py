"""What `roombot serve` acknowledged is carried out once and answered, even when its worker
process is killed mid-burst or the whole instance is stopped and another takes over."""

from __future__ import annotations

import json
import os
import signal
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from acs_emulator import RunningEmulator
from slack_standin import RunningStandin
from storage.engine import make_engine
from storage.room_members import list_members
from storage.rooms import find_room_by_number
from tests.bot.run_modes.helpers import HttpSlack, ServeProcess, roombot_serves, wait_until
from tests.bot.run_modes.test_serve_process import serve_env
from tests.bot.run_modes.test_work_processes import worker_pids

BURST = 12
LEASE_SECONDS = 2
# The sizes in long mode (ROOMBOT_DURABLE_LONG=1): 60 extends, 20 changes x 15 rounds.
LONG = os.environ.get("ROOMBOT_DURABLE_LONG") == "1"
EXTENDS = 60 if LONG else 30
ROUNDS = 15 if LONG else 3


def durable_env(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str, tmp_path: Path
) -> dict[str, str]:
    env = serve_env(standin, emulator.connection_string, engine_url, tmp_path)
    env["ROOMBOT_WORK_PROCESSES"] = "1"
    env["ROOMBOT_JOB_LEASE_SECONDS"] = str(LEASE_SECONDS)
    return env


def ana_sends(standin: RunningStandin, slack: HttpSlack, text: str) -> str:
    """ana types `text` in #general; acked; the id of its response URL."""
    ana, general = standin.workspace.user("ana").id, standin.workspace.channel("general").id
    url = standin.new_response_url(general, ana)
    trigger = standin.new_trigger_id("ana")
    response = slack.command(
        user_id=ana, channel_id=general, text=text, response_url=url, trigger_id=trigger
    )
    assert response.status == 200
    return url.rsplit("/", 1)[1]


def burst_of_creates(served: ServeProcess, standin: RunningStandin) -> list[str]:
    """BURST `/room create` commands from ana, each acked; the ids of their response URLs."""
    slack = HttpSlack(served.url, team_id=standin.workspace.team_id)
    return [ana_sends(standin, slack, f"create Burst {n}") for n in range(BURST)]


def ready_replies(standin: RunningStandin) -> Counter[str]:
    """How many 'is ready' replies each response URL got."""
    return Counter(
        str(call.args["response_url_id"])
        for call in standin.calls("response_url")
        if "is ready" in json.dumps(call.args)
    )


def answered_once_each(standin: RunningStandin, ids: list[str], *, killed: bool) -> None:
    """Every command answered. Once each; except that a job whose worker was killed between
    sending a reply and counting it on the job has that one reply sent again by its re-run (a
    response_url has no idempotency key): at most twice, and only when something was killed."""
    wait_until(lambda: set(ready_replies(standin)) == set(ids), 60)
    time.sleep(LEASE_SECONDS + 1)  # nothing more arrives late
    replies = ready_replies(standin)
    assert all(1 <= replies[url_id] <= (2 if killed else 1) for url_id in ids), replies


def test_a_worker_killed_mid_burst_loses_nothing_and_repeats_nothing(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str, tmp_path: Path
) -> None:
    emulator.set_faults(latency_ms=300)
    rooms_before = len(emulator.snapshot())  # the emulator serves the whole module
    with roombot_serves(
        durable_env(standin, emulator, engine_url, tmp_path), tmp_path, count=1
    ) as (served,):
        wait_until(lambda: len(worker_pids(served)) == 1, 60)
        ids = burst_of_creates(served, standin)
        time.sleep(0.8)  # the worker has claimed the jobs and is inside ACS calls
        (worker,) = worker_pids(served)
        os.kill(worker, signal.SIGKILL)
        answered_once_each(standin, ids, killed=True)
    assert len(emulator.snapshot()) - rooms_before == BURST  # no orphaned or duplicated room


def test_a_stopped_instance_leaves_its_work_to_the_next_and_stops_within_ten_seconds(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str, tmp_path: Path
) -> None:
    emulator.set_faults(latency_ms=300)
    rooms_before = len(emulator.snapshot())
    env = durable_env(standin, emulator, engine_url, tmp_path)
    with roombot_serves(env, tmp_path, count=2) as (first, second):
        ids = burst_of_creates(first, standin)
        started = time.monotonic()
        first.process.send_signal(signal.SIGTERM)
        assert first.process.wait(timeout=15) == 0
        assert time.monotonic() - started < 10
        answered_once_each(standin, ids, killed=False)
        assert second.answers()
    assert len(emulator.snapshot()) - rooms_before == BURST


def test_a_killed_instance_leaves_its_work_to_the_next(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str, tmp_path: Path
) -> None:
    emulator.set_faults(latency_ms=300)
    rooms_before = len(emulator.snapshot())
    env = durable_env(standin, emulator, engine_url, tmp_path)
    with roombot_serves(env, tmp_path, count=2) as (first, second):
        ids = burst_of_creates(first, standin)
        time.sleep(0.8)
        first.process.kill()  # SIGKILL: no goodbye; its worker sees its parent gone
        answered_once_each(standin, ids, killed=True)
        assert second.answers()
    assert len(emulator.snapshot()) - rooms_before == BURST


def test_concurrent_extends_across_two_instances_all_count(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str, tmp_path: Path
) -> None:
    emulator.set_faults(latency_ms=50)
    env = durable_env(standin, emulator, engine_url, tmp_path)
    with roombot_serves(env, tmp_path, count=2) as (first, second):
        slacks = [HttpSlack(s.url, team_id=standin.workspace.team_id) for s in (first, second)]

        before = set(emulator.snapshot())
        ana_sends(standin, slacks[0], "create Contended for 1h")
        wait_until(lambda: len(set(emulator.snapshot()) - before) == 1, 30)
        wait_until(lambda: "is ready" in json.dumps([c.args for c in standin.calls()]), 30)
        (acs_id,) = set(emulator.snapshot()) - before
        start_end = emulator.snapshot()[acs_id].valid_until
        number = next(
            int(text.split("Room #")[1].split(" ")[0])
            for text in (json.dumps(c.args) for c in standin.calls("response_url"))
            if "is ready" in text
        )
        extends = EXTENDS
        for n in range(extends):
            ana_sends(standin, slacks[n % 2], f"extend #{number} by 1h")

        def extended() -> int:
            return sum(
                "extended the room until" in json.dumps(c.args)
                for c in standin.calls("response_url")
            )

        wait_until(lambda: extended() == extends, 60)
    assert emulator.snapshot()[acs_id].valid_until == start_end + timedelta(hours=extends)


MIXED = (
    "extend #{n} by 1h",
    "pstn #{n} on",
    "invite #{n} @ben",
    "remove #{n} @ben",
    "pstn #{n} off",
    "invite #{n} @cho as consumer",
    "extend #{n} by 30m",
    "remove #{n} @cho",
    "invite #{n} @ben as presenter",
    "pstn #{n} on",
)


def test_concurrent_mixed_changes_over_two_instances_leave_store_and_acs_equal(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str, tmp_path: Path
) -> None:
    emulator.set_faults(latency_ms=30)
    env = durable_env(standin, emulator, engine_url, tmp_path)
    engine = make_engine(engine_url)
    with roombot_serves(env, tmp_path, count=2) as instances:
        slacks = [HttpSlack(s.url, team_id=standin.workspace.team_id) for s in instances]
        for slack in slacks:
            slack.workspace = standin.workspace  # typed @names become mentions, as in Slack

        def answered(ids: list[str]) -> bool:
            done = {str(c.args.get("response_url_id")) for c in standin.calls("response_url")}
            return set(ids) <= done

        created = ana_sends(standin, slacks[0], "create Mixed for 2h")
        wait_until(lambda: answered([created]), 30)
        number = 1
        for round_ in range(ROUNDS):
            texts = MIXED * 2 if LONG else MIXED
            ids = [
                ana_sends(standin, slacks[i % 2], text.format(n=number))
                for i, text in enumerate(texts)
            ]
            wait_until(lambda ids=ids: answered(ids), 60)
            assert_store_equals_acs(engine, emulator, standin.workspace.team_id, number), round_
    engine.dispose()


def assert_store_equals_acs(
    engine: Engine, emulator: RunningEmulator, team_id: str, number: int
) -> None:
    with Session(engine) as session:
        row = find_room_by_number(session, enterprise_id="", team_id=team_id, number=number)
        assert row is not None
        assert row.id is not None
        assert row.acs_room_id is not None
        members = {m.acs_user_id: m.role for m in list_members(session, room_id=row.id)}
        stored = (row.valid_until, row.pstn_dial_out_enabled, members)
    acs = emulator.snapshot()[row.acs_room_id]
    assert stored == (acs.valid_until, acs.pstn_dial_out_enabled, acs.participants)
