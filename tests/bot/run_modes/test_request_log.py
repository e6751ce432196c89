"""One key=value line per Slack request, and never a secret in the logs."""

from __future__ import annotations

import logging

import pytest

from slack_standin import RunningStandin
from tests.bot.run_modes.conftest import CLIENT_SECRET, Served
from tests.bot.run_modes.helpers import SIGNING_SECRET
from tests.bot.run_modes.test_http_endpoints import ana_types, replied
from tests.bot.run_modes.test_oauth_install import install


def request_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "roombot.requests"]


def test_a_command_is_logged_with_workspace_kind_outcome_and_duration(
    server: Served, standin: RunningStandin, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    ana_types(server.slack(standin.workspace.team_id), standin, "help")
    [line] = request_lines(caplog)
    team = standin.workspace.team_id
    assert line.startswith(f"slack_request enterprise=- team={team} kind=command name=/room ")
    assert " outcome=ok status=200 retry=- duration_ms=" in line


def test_a_repeated_event_is_logged_as_a_repeat_with_its_retry_number(
    server: Served, standin: RunningStandin, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    slack = server.slack(standin.workspace.team_id)
    opened = {"type": "app_home_opened", "user": standin.workspace.user("ana").id}
    slack.event(opened, event_id="Ev0LOGGED1")
    slack.event(opened, event_id="Ev0LOGGED1", retry_num=2)
    first, repeat = request_lines(caplog)
    assert "kind=event name=app_home_opened outcome=ok" in first
    assert "outcome=repeat status=200 retry=2" in repeat


def test_a_forged_request_is_logged_as_rejected(
    server: Served, standin: RunningStandin, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    ana_types(server.slack("T0X", signing_secret="forged"), standin, "help")
    [line] = request_lines(caplog)
    assert "outcome=rejected status=401" in line


def test_no_token_or_secret_reaches_the_logs_during_install_and_use(
    oauth_server: Served, standin: RunningStandin, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="roombot")
    caplog.set_level(logging.INFO)
    install(oauth_server)
    ana_types(oauth_server.slack(standin.workspace.team_id), standin, "create Quiet")
    standin.wait_for("response_url", replied("Room #1 is ready"))
    minted = standin.wait_for("chat.postMessage").token or ""
    logged = caplog.text
    assert minted.startswith("xoxb-")
    for secret in (minted, SIGNING_SECRET, CLIENT_SECRET, "xoxe-"):
        assert secret not in logged
