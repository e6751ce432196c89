"""`roombot serve` and `roombot socket` from the command line: help, and one-line refusals."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.__main__ import main
from bot.app import assemble
from bot.config import Settings
from bot.run_modes.process import ProcessKind
from bot.run_modes.serve import listen
from bot.services.errors import ConfigurationError
from bot.services.health import DATABASE_DOWN, Check
from tests.bot.run_modes.helpers import roombot, roombot_env

SLACK = {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-cli-test"}


@pytest.mark.parametrize(
    ("command", "mentions"), [("serve", "GET /healthz"), ("socket", "SLACK_APP_TOKEN")]
)
def test_each_run_mode_has_help(command: str, mentions: str, tmp_path: Path) -> None:
    result = roombot(command, "--help", env=roombot_env(), cwd=tmp_path)
    assert result.returncode == 0
    assert mentions in " ".join(result.stdout.split())


def test_socket_without_an_app_token_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    result = roombot("socket", env=roombot_env(**SLACK), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "roombot: SLACK_APP_TOKEN is not set: an xapp- app-level token with connections:write, "
        "for Socket Mode"
    ]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No RoomBot setting from this process's environment or a .env file."""
    monkeypatch.chdir(tmp_path)
    for name in os.environ.keys() - roombot_env().keys():
        monkeypatch.delenv(name)
    return monkeypatch


def refusal(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    [line] = capsys.readouterr().err.splitlines()
    return line


@pytest.mark.parametrize(
    ("argv", "variables", "named"),
    [
        (["serve"], {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        (["serve"], {"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        (["serve"], {"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"),
        (["socket"], {"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
    ],
)
def test_a_missing_setting_is_named_in_one_line(
    environment: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    variables: dict[str, str],
    named: str,
) -> None:
    for name, value in variables.items():
        environment.setenv(name, value)
    assert refusal(capsys, *argv).startswith(f"roombot: {named} is not set")


def test_a_port_in_use_is_refused_before_anything_starts() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ConfigurationError, match=r"cannot listen on 127\.0\.0\.1:\d+"):
            listen("127.0.0.1", taken.getsockname()[1])


def test_an_unreachable_database_does_not_stop_the_runtime_and_its_health_says_so() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"postgresql+psycopg://roombot@127.0.0.1:{closed.getsockname()[1]}/none"
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=url, slack_bot_token=SecretStr("xoxb-1")
    )
    runtime = assemble(settings, ProcessKind.SERVING)
    try:
        assert runtime.health is not None
        assert runtime.health.check().database == Check(False, DATABASE_DOWN)
    finally:
        runtime.close()
