"""`roombot` when what it needs is missing, run as an operator runs it: one line on stderr and
exit status 2, never a traceback, never a secret; `reconcile` exits 3 when ACS failed for some
rooms (and 1, which outranks it, when a repair failed)."""

from __future__ import annotations

import http.client
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.adapters.acs import make_acs_gateways
from bot.run_modes.reconcile import NOT_ALL_CHECKED, REPAIR_FAILED
from storage import rooms as room_repo
from storage.session import session_scope
from tests.bot.reconcile.support import BEN, World
from tests.support.cli import roombot
from tests.support.clock import ManualClock
from tests.support.slack_stack import FAST_RETRY, make_services

DB_PASSWORD = "db-password-never-shown"
# Nothing listens on port 1: the connection is refused at once.
DATABASE_DOWN = f"postgresql+psycopg://roombot:{DB_PASSWORD}@127.0.0.1:1/none"
ACS_KEY = "YWNzLWtleS1uZXZlci1zaG93bg=="  # base64, so it parses; never to be printed


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single `roombot: ` line a stopped command printed; asserts it stopped with 2."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("roombot: ")
    for secret in (DB_PASSWORD, ACS_KEY):
        assert secret not in result.stdout + result.stderr
    return line


def test_db_upgrade_with_the_database_down_stops_with_one_line(tmp_path: Path) -> None:
    result = roombot("db", "upgrade", cwd=tmp_path, DATABASE_URL=DATABASE_DOWN)

    line = one_line(result)
    assert line.startswith("roombot: the database is unavailable: ")
    assert "roombot:***@127.0.0.1:1/none" in line


def test_db_upgrade_on_a_sqlite_file_whose_directory_cannot_be_made_stops_with_one_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "a-file").write_text("")
    url = f"sqlite:///{tmp_path / 'a-file' / 'roombot.db'}"
    line = one_line(roombot("db", "upgrade", cwd=tmp_path, DATABASE_URL=url))
    assert line.startswith(f"roombot: the database is unavailable: cannot create {tmp_path}")


@pytest.mark.parametrize(
    "flags", [[], ["--dry-run", "--team", "T0ALPHA"]], ids=["repairing", "dry_run_for_one_team"]
)
def test_reconcile_with_the_database_down_stops_with_one_line(
    flags: list[str], tmp_path: Path
) -> None:
    acs = f"endpoint=http://127.0.0.1:1/;accesskey={ACS_KEY}"
    result = roombot(
        "reconcile", *flags, cwd=tmp_path, DATABASE_URL=DATABASE_DOWN, ACS_CONNECTION_STRING=acs
    )

    assert one_line(result).startswith("roombot: the database is unavailable: ")


def test_reminders_with_the_database_down_stops_with_one_line(tmp_path: Path) -> None:
    result = roombot(
        "reminders", cwd=tmp_path, DATABASE_URL=DATABASE_DOWN, SLACK_BOT_TOKEN="xoxb-unused"
    )

    assert one_line(result).startswith("roombot: the database is unavailable: ")


def test_the_console_with_the_database_down_stops_with_one_line(tmp_path: Path) -> None:
    result = roombot("console", cwd=tmp_path, DATABASE_URL=DATABASE_DOWN)

    assert one_line(result).startswith("roombot: the database is unavailable: ")


def test_the_console_with_a_data_dir_it_cannot_write_stops_with_one_line(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "state"
    not_a_dir.write_text("a file where the data directory should be")

    result = roombot("console", "--data-dir", str(not_a_dir / "inside"), cwd=tmp_path)

    line = one_line(result)
    assert line.startswith(f"roombot: cannot keep the console's state in {not_a_dir / 'inside'}")


def test_reconcile_with_acs_unreachable_stops_with_one_line(
    engine_url: str, tmp_path: Path
) -> None:
    acs = f"endpoint=http://127.0.0.1:1/;accesskey={ACS_KEY}"
    result = roombot("reconcile", cwd=tmp_path, DATABASE_URL=engine_url, ACS_CONNECTION_STRING=acs)

    assert one_line(result).startswith("roombot: RoomBot could not reach ACS at ")


# --- reconcile when ACS fails for some rooms only ---------------------------------------------


_NOT_RELAYED = {"connection", "keep-alive", "transfer-encoding", "content-length", "date", "server"}


class _Relay(BaseHTTPRequestHandler):
    """Forwards to the emulator, Host header and all (the HMAC signature covers it), except
    requests about the refused rooms: 503 with a Retry-After longer than RoomBot's 10 s budget
    for a call, so it gives up on them at once instead of retrying."""

    target: tuple[str, int]
    refused: frozenset[str]

    def do_GET(self) -> None:
        self._relay()

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

    def _relay(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if any(room in self.path for room in self.refused):
            self._answer(503, {"Retry-After": "3600"}, b'{"error": {"code": "Unavailable"}}')
            return
        upstream = http.client.HTTPConnection(*self.target, timeout=10)
        try:
            upstream.request(self.command, self.path, body or None, dict(self.headers))
            reply = upstream.getresponse()
            kept = {k: v for k, v in reply.getheaders() if k.lower() not in _NOT_RELAYED}
            self._answer(reply.status, kept, reply.read())
        finally:
            upstream.close()

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads roombot's output, not the relay's."""


@contextmanager
def acs_failing_for(emulator: RunningEmulator, *room_ids: str) -> Iterator[str]:
    """A connection string to the emulator through a relay that fails these rooms' requests."""
    host, port = emulator.endpoint.removeprefix("http://").rsplit(":", 1)
    handler = type(
        "Relay", (_Relay,), {"target": (host, int(port)), "refused": frozenset(room_ids)}
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"endpoint=http://127.0.0.1:{server.server_port}/;accesskey={emulator.access_key}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def world(engine: Engine) -> Iterator[World]:
    with start_emulator(EmulatorConfig(seed=7)) as emulator:
        services = make_services(engine, emulator)
        behind_its_back = make_acs_gateways(
            connection_string=emulator.connection_string, retry=FAST_RETRY
        )
        services.closers.extend(gateway.close for gateway in behind_its_back)
        yield World(services, emulator, engine, *behind_its_back, ManualClock())
        services.close()


def test_reconcile_exits_3_and_says_so_when_acs_failed_for_some_rooms(
    world: World, engine_url: str, tmp_path: Path
) -> None:
    unanswered, _fine, gone = world.create(), world.create(), world.create()
    world.acs.delete_room(gone.acs_room_id)

    with acs_failing_for(world.emulator, unanswered.acs_room_id) as acs:
        result = roombot(
            "reconcile", cwd=tmp_path, DATABASE_URL=engine_url, ACS_CONNECTION_STRING=acs
        )

    assert result.returncode == NOT_ALL_CHECKED == 3, result.stderr
    assert "Traceback" not in result.stderr
    repaired, unchecked, summary = result.stdout.strip().splitlines()  # the fine room: no line
    assert repaired.startswith(f"T0ALPHA #{gone.number} ")
    assert repaired.endswith("[done]")
    assert unchecked.startswith(f"T0ALPHA #{unanswered.number}: not checked: ")
    assert summary == "1 finding, 1 repaired, 0 failed; incomplete: 1 room not checked, run again"


def test_a_reconcile_dry_run_exits_3_when_acs_failed_for_some_rooms(
    world: World, engine_url: str, tmp_path: Path
) -> None:
    unanswered, _fine = world.create(), world.create()

    with acs_failing_for(world.emulator, unanswered.acs_room_id) as acs:
        result = roombot(
            "reconcile", "--dry-run", cwd=tmp_path, DATABASE_URL=engine_url,
            ACS_CONNECTION_STRING=acs,
        )  # fmt: skip

    assert result.returncode == NOT_ALL_CHECKED, result.stderr
    *_, summary = result.stdout.strip().splitlines()
    assert summary == (
        "dry run: 0 findings, nothing changed; incomplete: 1 room not checked, run again"
    )


def test_a_failed_repair_outranks_rooms_not_checked(
    world: World, engine_url: str, tmp_path: Path
) -> None:
    unanswered, broken = world.create(), world.create()
    with session_scope(world.engine) as session:
        # An identity ACS refuses: pushing this roster fails with a 400.
        room_repo.upsert_members(
            session, room_id=world.stored(broken).id or 0,
            members=[(BEN, "8:bogus:ben", "Attendee")], now=world.clock(),
        )  # fmt: skip

    with acs_failing_for(world.emulator, unanswered.acs_room_id) as acs:
        result = roombot(
            "reconcile", cwd=tmp_path, DATABASE_URL=engine_url, ACS_CONNECTION_STRING=acs
        )

    assert result.returncode == REPAIR_FAILED == 1, result.stderr
    *_, summary = result.stdout.strip().splitlines()
    assert summary == "1 finding, 0 repaired, 1 failed; incomplete: 1 room not checked, run again"
