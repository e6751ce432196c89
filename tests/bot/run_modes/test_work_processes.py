"""`roombot serve` hands the work behind its acks to worker processes (ROOMBOT_WORK_PROCESSES)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from acs_emulator import RunningEmulator
from slack_standin import RunningStandin
from tests.bot.run_modes.helpers import HttpSlack, ServeProcess, http, roombot_serve, wait_until
from tests.bot.run_modes.test_http_endpoints import ana_types, replied
from tests.bot.run_modes.test_serve_process import serve_env


def worker_pids(served: ServeProcess) -> list[int]:
    """serve's worker processes (not multiprocessing's resource tracker), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if parent == served.process.pid and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture
def served(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str, tmp_path: Path
) -> Iterator[ServeProcess]:
    env = serve_env(standin, emulator.connection_string, engine_url, tmp_path)
    env["ROOMBOT_WORK_PROCESSES"] = "1"
    with roombot_serve(env, tmp_path) as running:
        yield running


def ana_creates(served: ServeProcess, standin: RunningStandin, title: str) -> None:
    slack = HttpSlack(served.url, team_id=standin.workspace.team_id)
    assert ana_types(slack, standin, f"create {title}").status == 200


def test_the_work_behind_an_ack_runs_in_the_worker_process(
    served: ServeProcess, standin: RunningStandin
) -> None:
    (worker,) = worker_pids(served)
    os.kill(worker, signal.SIGSTOP)  # the worker can't run anything; serve still acks
    try:
        ana_creates(served, standin, "Paused")
        with pytest.raises(AssertionError):
            standin.wait_for("response_url", replied("Room #1 is ready"), timeout=1.0)
    finally:
        os.kill(worker, signal.SIGCONT)
    standin.wait_for("response_url", replied("Room #1 is ready"), timeout=20)


def kill_worker(served: ServeProcess) -> None:
    """SIGKILL serve's worker, then wait for its replacement. A replacement that was only
    just spawned shows in /proc once it has exec'd: wait for it to be there first."""
    wait_until(lambda: len(worker_pids(served)) == 1, 60)
    (dead,) = worker_pids(served)
    os.kill(dead, signal.SIGKILL)
    wait_until(lambda: len(worker_pids(served)) == 1 and dead not in worker_pids(served), 60)


def work_health(served: ServeProcess) -> tuple[int, dict[str, Any]]:
    answer = http(f"{served.url}/healthz")
    return answer.status, answer.json()["checks"]["work"]


def test_a_worker_that_dies_is_replaced_and_later_commands_are_answered(
    served: ServeProcess, standin: RunningStandin
) -> None:
    kill_worker(served)
    ana_creates(served, standin, "After the crash")
    standin.wait_for("response_url", replied("Room #1 is ready"), timeout=60)
    assert work_health(served) == (200, {"ok": True, "detail": "1 of 1 work processes running"})
    assert served.stop() == 0
    assert "roombot-work-0 exited (code -9); starting another" in served.output()


def test_workers_that_keep_dying_make_serve_unhealthy(served: ServeProcess) -> None:
    for _ in range(3):
        kill_worker(served)
    status, check = work_health(served)
    assert (status, check["ok"]) == (503, False)
    assert check["detail"].startswith("work processes keep exiting: 3 in 60 s")


def test_serve_stops_its_workers_when_it_stops(
    served: ServeProcess, standin: RunningStandin
) -> None:
    (worker,) = worker_pids(served)
    ana_creates(served, standin, "Last one")
    assert served.stop() == 0
    standin.wait_for("response_url", replied("Room #1 is ready"))
    assert not Path(f"/proc/{worker}").exists()


def listening_ports(pid: int) -> set[int]:
    """TCP ports process `pid` listens on, from its descriptors and /proc/net/tcp."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except FileNotFoundError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
            ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_with_the_embedded_emulator_the_worker_uses_the_serving_process_one(
    standin: RunningStandin, engine_url: str, tmp_path: Path
) -> None:
    env = serve_env(standin, "local", engine_url, tmp_path)
    with roombot_serve(env, tmp_path) as running:
        (worker,) = worker_pids(running)
        assert listening_ports(worker) == set()  # no emulator of its own
        assert len(listening_ports(running.process.pid)) == 2  # serve's port and the emulator's
        ana_creates(running, standin, "Embedded")
        standin.wait_for("response_url", replied("Room #1 is ready"), timeout=30)
