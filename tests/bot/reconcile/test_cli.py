"""`roombot reconcile`, run as an operator would run it."""

from __future__ import annotations

from pathlib import Path

from tests.bot.reconcile.support import OTHER_WS, WS, World
from tests.support.cli import roombot


def gone_rooms(world: World) -> None:
    for ws in (WS, OTHER_WS):
        room = world.create(ws=ws)
        world.acs.delete_room(room.acs_room_id)


def test_roombot_reconcile_has_help(tmp_path: Path) -> None:
    result = roombot("reconcile", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--dry-run" in result.stdout
    assert "--team" in result.stdout


def test_roombot_reconcile_prints_each_repair_and_a_summary_and_exits_zero(
    world: World, engine_url: str, tmp_path: Path
) -> None:
    gone_rooms(world)
    env = {"DATABASE_URL": engine_url, "ACS_CONNECTION_STRING": world.emulator.connection_string}

    result = roombot("reconcile", cwd=tmp_path, **env)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split(" ")[0] for line in lines[:-1]] == ["T0ALPHA", "T0BRAVO"]
    assert all(line.endswith("mark it deleted in the store [done]") for line in lines[:-1])
    assert lines[-1] == "2 findings, 2 repaired, 0 failed"


def test_roombot_reconcile_dry_run_for_one_team_lists_only_that_team(
    world: World, engine_url: str, tmp_path: Path
) -> None:
    gone_rooms(world)
    env = {"DATABASE_URL": engine_url, "ACS_CONNECTION_STRING": world.emulator.connection_string}

    result = roombot("reconcile", "--dry-run", "--team", OTHER_WS.team_id, cwd=tmp_path, **env)

    assert result.returncode == 0, result.stderr
    first, summary = result.stdout.strip().splitlines()
    assert first.startswith("T0BRAVO #1 ")
    assert first.endswith("[would do]")
    assert summary == "dry run: 1 finding, nothing changed"


def test_roombot_reconcile_stops_with_one_line_when_acs_refuses_it(
    world: World, engine_url: str, tmp_path: Path
) -> None:
    endpoint = world.emulator.connection_string.split(";accesskey=")[0]
    wrong_key = f"{endpoint};accesskey=d3Jvbmcta2V5"
    env = {"DATABASE_URL": engine_url, "ACS_CONNECTION_STRING": wrong_key}

    result = roombot("reconcile", cwd=tmp_path, **env)

    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("roombot: ACS rejected RoomBot's credentials")
    assert "d3Jvbmcta2V5" not in result.stderr + result.stdout
