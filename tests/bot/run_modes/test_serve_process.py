"""`roombot serve` as its own process (`python -m bot serve`), configured by environment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from slack_standin import RunningStandin
from tests.bot.run_modes.helpers import (
    SIGNING_SECRET,
    HttpSlack,
    http,
    roombot_env,
    roombot_serve,
    roombot_serves,
)
from tests.bot.run_modes.test_event_delivery import home_opened
from tests.bot.run_modes.test_http_endpoints import ana_types, replied


def serve_env(standin: RunningStandin, acs: str, database_url: str, tmp: Path) -> dict[str, str]:
    return roombot_env(
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN=standin.bot_token,
        SLACK_API_URL=standin.base_url,
        ACS_CONNECTION_STRING=acs,
        DATABASE_URL=database_url,
        ROOMBOT_DATA_DIR=str(tmp / "data"),
    )


def test_a_served_process_answers_signed_requests_and_stops_cleanly_on_sigterm(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str, tmp_path: Path
) -> None:
    env = serve_env(standin, emulator.connection_string, engine_url, tmp_path)
    with roombot_serve(env, tmp_path) as served:
        assert http(f"{served.url}/healthz").json()["status"] == "ok"
        ana_types(HttpSlack(served.url, team_id=standin.workspace.team_id), standin, "help")
        standin.wait_for("response_url")
        assert served.stop() == 0
        output = served.output()
    assert "slack_request " in output
    assert "kind=command name=/room outcome=ok" in output
    assert SIGNING_SECRET not in output
    assert standin.bot_token not in output


@pytest.fixture
def slow_acs() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=7, latency_ms=300)) as running:
        yield running


def test_sigterm_during_a_room_creation_lets_it_finish_and_post_its_card(
    standin: RunningStandin, slow_acs: RunningEmulator, engine_url: str, tmp_path: Path
) -> None:
    env = serve_env(standin, slow_acs.connection_string, engine_url, tmp_path)
    with roombot_serve(env, tmp_path) as served:
        slack = HttpSlack(served.url, team_id=standin.workspace.team_id)
        assert ana_types(slack, standin, "create Draining").status == 200
        assert standin.calls("chat.postMessage") == []  # ACS is still working on it
        assert served.stop() == 0
    assert [c.ok for c in standin.calls("chat.postMessage")] == [True]
    assert any(replied("Room #1 is ready")(c) for c in standin.calls("response_url"))


def is_postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def test_two_instances_on_one_postgresql_database_behave_as_one_app(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str, tmp_path: Path
) -> None:
    if not is_postgresql(engine_url):
        pytest.skip("several instances share a PostgreSQL database (set TEST_DATABASE_URL)")
    env = serve_env(standin, emulator.connection_string, engine_url, tmp_path)
    team = standin.workspace.team_id
    with roombot_serves(env, tmp_path, count=2) as (one, other):
        via_one, via_other = HttpSlack(one.url, team_id=team), HttpSlack(other.url, team_id=team)
        ana_types(via_one, standin, "create Shared")
        standin.wait_for("response_url", replied("Room #1 is ready"))
        standin.clear()
        ana_types(via_other, standin, "show #1")
        standin.wait_for("response_url", lambda call: "Shared" in json.dumps(call.args))
        for instance in (via_one, via_other, via_one):
            instance.event(home_opened(standin), event_id="Ev0BOTHSEEN", retry_num=1)
        assert len(standin.calls("views.publish")) == 1
