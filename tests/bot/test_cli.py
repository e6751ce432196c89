"""The `roombot` command line, run as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import secret_scan

ROOT = Path(__file__).resolve().parents[2]


def roombot(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("ROOMBOT_", "SLACK_"))}
    environment.pop("DATABASE_URL", None)
    environment.pop("ACS_CONNECTION_STRING", None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment | (env or {}),
        cwd=cwd,
        timeout=120,
        check=False,
    )
    secret_scan.record(f"output of roombot {' '.join(args[:1])}", done.stdout + done.stderr)
    return done


@pytest.mark.parametrize("command", [[], ["console"], ["db"], ["db", "upgrade"], ["acs-emulator"]])
def test_every_subcommand_has_help(command: list[str]) -> None:
    result = roombot(*command, "--help")
    assert result.returncode == 0
    assert "usage:" in result.stdout


def test_db_upgrade_migrates_the_configured_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = roombot("db", "upgrade", env={"DATABASE_URL": url})
    assert result.returncode == 0
    assert result.stdout.startswith("database is at revision ")


def test_a_malformed_setting_stops_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    result = roombot("db", "upgrade", env={"ROOMBOT_TIMEZONE": "Mars/Base"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "roombot: ROOMBOT_TIMEZONE: unknown time zone 'Mars/Base'; "
        "expected an IANA time zone name such as Europe/Berlin"
    ]


def test_the_console_reads_piped_lines_and_exits_zero_at_end_of_input(tmp_path: Path) -> None:
    result = roombot(
        "console", "--data-dir", str(tmp_path), stdin="/room create Standup for 15m @ben\n"
    )
    assert result.returncode == 0, result.stderr
    assert "#general · RoomBot" in result.stdout
    assert "Room #1 is ready (ACS room ID `" in result.stdout


def test_the_console_keeps_its_rooms_across_restarts(tmp_path: Path) -> None:
    roombot("console", "--data-dir", str(tmp_path), stdin="/room create Kept for 2h\n")
    result = roombot("console", "--data-dir", str(tmp_path), stdin="/room show #1\n")
    assert "Kept" in result.stdout


def test_the_console_acts_as_the_chosen_demo_user(tmp_path: Path) -> None:
    result = roombot(
        "console", "--data-dir", str(tmp_path), "--as", "cho", stdin="/room create Mine\n"
    )
    assert "*Organizer* @cho" in result.stdout
