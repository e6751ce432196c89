"""`roombot reminders`: only the worker, configured like the bot, stopped by a signal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from slack_standin import RunningStandin
from tests.support import secret_scan

ROOT = Path(__file__).resolve().parents[3]


def environment(**extra: str) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("ROOMBOT_", "SLACK_"))}
    kept.pop("DATABASE_URL", None)
    kept.pop("ACS_CONNECTION_STRING", None)
    return kept | {"PYTHONPATH": str(ROOT)} | extra


def roombot(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=environment(**env),
        cwd=cwd,
        timeout=60,
        check=False,
    )
    secret_scan.record(f"output of roombot {args[0] if args else ''}", done.stdout + done.stderr)
    return done


def test_roombot_reminders_has_help(tmp_path: Path) -> None:
    result = roombot("reminders", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--lease-seconds" in result.stdout


def test_roombot_reminders_without_a_bot_token_stops_with_one_line(tmp_path: Path) -> None:
    result = roombot("reminders", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("roombot: SLACK_BOT_TOKEN is not set")
    assert os.listdir(tmp_path) == []  # it stopped before opening any database


def test_roombot_reminders_runs_until_sigterm_and_then_exits_cleanly(
    tmp_path: Path, standin: RunningStandin
) -> None:
    env = environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'roombot.db'}",
        SLACK_BOT_TOKEN=standin.bot_token,
        SLACK_API_URL=standin.base_url,
    )
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "reminders"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as worker:
        assert worker.stdout is not None
        assert worker.stdout.readline().startswith("reminder loop ")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
