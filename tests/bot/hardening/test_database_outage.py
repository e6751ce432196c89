"""The database down at start or mid-request: `serve` still starts, /healthz says the database
is the problem, users get a clear ephemeral message, and everything works again once the
database is back, without a restart. Over real HTTP against the in-process `serve`.

On PostgreSQL the outage is a TCP proxy the test cuts (tests/support/db_proxy.py). On SQLite
the honest equivalent at start is a database file that cannot be opened (a directory sits
where the file belongs) until it is taken away; SQLite keeps its open files, so a mid-request
outage has no honest SQLite equivalent and that test runs on PostgreSQL only.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import make_url

from acs_emulator import RunningEmulator
from bot.services.health import DATABASE_DOWN
from bot.services.uow import UNAVAILABLE
from slack_standin import RunningStandin
from storage.engine import make_engine
from storage.migrate import current_revision, head_revision
from tests.bot.hardening.conftest import Outage
from tests.bot.run_modes.conftest import Served, serving, single_workspace
from tests.bot.run_modes.helpers import http, wait_until


def ana_types(served: Served, standin: RunningStandin, text: str) -> Any:
    ana, general = standin.workspace.user("ana").id, standin.workspace.channel("general").id
    return served.slack(standin.workspace.team_id).command(
        user_id=ana,
        channel_id=general,
        text=text,
        response_url=standin.new_response_url(general, ana),
        trigger_id=standin.new_trigger_id("ana"),
    )


def reply_to(served: Served, standin: RunningStandin, text: str) -> dict[str, Any]:
    """Type `text` as ana; the ephemeral reply that follows (other calls are forgotten)."""
    standin.clear()
    assert ana_types(served, standin, text).status == 200
    return dict(standin.wait_for("response_url", timeout=30).args)


def health(served: Served) -> tuple[int, dict[str, Any]]:
    answer = http(f"{served.url}/healthz")
    return answer.status, answer.json()["checks"]["database"]


def test_serve_starts_with_the_database_down_and_recovers_without_a_restart(
    outage: Outage, standin: RunningStandin, emulator: RunningEmulator
) -> None:
    outage.cut()
    with serving(single_workspace(standin, emulator, outage.url)) as served:
        assert health(served) == (503, {"ok": False, "detail": DATABASE_DOWN})
        refused = reply_to(served, standin, "create Standup")
        assert refused["response_type"] == "ephemeral"
        assert refused["text"] == UNAVAILABLE

        outage.restore()
        assert health(served) == (200, {"ok": True, "detail": "ok"})
        assert "Room #1 is ready" in reply_to(served, standin, "create Standup")["text"]
    engine = make_engine(outage.url)
    try:
        assert current_revision(engine) == head_revision()  # migrated lazily, once back
    finally:
        engine.dispose()


@pytest.fixture
def postgresql_outage(outage: Outage) -> Outage:
    if make_url(outage.url).get_backend_name() != "postgresql":
        pytest.skip("SQLite keeps its open file: no honest mid-request outage without a server")
    return outage


def test_a_database_lost_mid_session_gives_a_clear_message_and_changes_nothing(
    postgresql_outage: Outage, standin: RunningStandin, emulator: RunningEmulator
) -> None:
    outage = postgresql_outage
    with serving(single_workspace(standin, emulator, outage.url)) as served:
        assert "Room #1 is ready" in reply_to(served, standin, "create Standup")["text"]
        acs_before = emulator.snapshot()

        outage.cut()
        for command in ("extend #1 by 1h", "pstn #1 on", "create Retro", "list"):
            reply = reply_to(served, standin, command)
            assert (reply["response_type"], reply["text"]) == ("ephemeral", UNAVAILABLE)
        assert health(served) == (503, {"ok": False, "detail": DATABASE_DOWN})
        assert emulator.snapshot() == acs_before  # ACS was set back, or never touched

        outage.restore()
        assert health(served)[0] == 200
        extended = reply_to(served, standin, "extend #1 by 1h")["text"]
        assert extended.startswith("Room #1: <@U06ANA1001> extended the room")


def test_a_database_lost_between_acs_and_the_store_sets_acs_back(
    postgresql_outage: Outage, standin: RunningStandin, emulator: RunningEmulator
) -> None:
    outage = postgresql_outage
    with serving(single_workspace(standin, emulator, outage.url)) as served:
        assert "Room #1 is ready" in reply_to(served, standin, "create Standup")["text"]
        acs_before = emulator.snapshot()
        emulator.set_faults(latency_ms=300)  # time to cut the database while ACS works
        standin.clear()
        seen = emulator.request_count()
        assert ana_types(served, standin, "extend #1 by 1h").status == 200
        wait_until(lambda: emulator.request_count() > seen)  # the extend has reached ACS
        outage.cut()
        reply = dict(standin.wait_for("response_url", timeout=30).args)
        emulator.set_faults(latency_ms=0)

        assert reply["text"] == UNAVAILABLE
        assert emulator.snapshot() == acs_before
        outage.restore()
        assert "extended the room" in reply_to(served, standin, "extend #1 by 1h")["text"]
