"""Settings come from the environment and .env, and a bad value names its variable."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.services.errors import ConfigurationError

ALL_VARIABLES = [
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_API_URL",
    "ACS_CONNECTION_STRING",
    "COMMUNICATION_CONNECTION_STRING",
    "ACS_ENDPOINT",
    "DATABASE_URL",
    "ROOMBOT_DATA_DIR",
    "ROOMBOT_ADMINS",
    "ROOMBOT_AUDIT_CHANNEL",
    "ROOMBOT_REMINDERS",
    "ROOMBOT_REMINDER_POLL_SECONDS",
    "ROOMBOT_TIMEZONE",
    "ROOMBOT_AUDIT_RETENTION_DAYS",
    "ROOMBOT_PUBLIC_URL",
    "ROOMBOT_SESSION_SECRET",
    "ROOMBOT_JOIN_URL",
    "PORT",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ALL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout


def test_defaults_match_the_design() -> None:
    settings = load_settings()
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.roombot_reminders == (timedelta(days=1), timedelta(hours=1))
    assert settings.roombot_reminder_poll_seconds == 30
    assert settings.port == 3000
    assert settings.roombot_work_processes == 1
    assert settings.effective_database_url.startswith("sqlite:///")


def test_reminder_lead_times_accept_every_unit_and_sort_longest_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ROOMBOT_REMINDERS", "30s, 2h,15m,3d")
    settings = load_settings()
    assert settings.roombot_reminders == (
        timedelta(days=3),
        timedelta(hours=2),
        timedelta(minutes=15),
        timedelta(seconds=30),
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ROOMBOT_REMINDERS", "1 day"),
        ("ROOMBOT_REMINDERS", "0h"),
        ("ROOMBOT_TIMEZONE", "Mars/Olympus"),
        ("ROOMBOT_ADMINS", "alice"),
        ("PORT", "seventy"),
        ("PORT", "70000"),
        ("ROOMBOT_REMINDER_POLL_SECONDS", "-1"),
        ("SLACK_API_URL", "https://slack.com/"),
        ("ROOMBOT_AUDIT_RETENTION_DAYS", "0"),
        ("ROOMBOT_WORK_PROCESSES", "-1"),
        ("ROOMBOT_WORK_PROCESSES", "many"),
        ("ROOMBOT_PUBLIC_URL", "roombot.example.com"),
        ("ROOMBOT_PUBLIC_URL", "https://roombot.example.com/?x=1"),
        ("ROOMBOT_SESSION_SECRET", "too-short"),
        ("ROOMBOT_JOIN_URL", "https://calls.example.com/join"),
        ("ROOMBOT_JOIN_URL", "https://calls.example.com/{room}"),
        ("ROOMBOT_JOIN_URL", "calls.example.com/{key}"),
    ],
)
def test_a_malformed_value_is_reported_in_one_line_naming_its_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert caught.value.message.startswith(f"{name}: ")
    assert "\n" not in caught.value.message


def test_the_quickstarts_connection_string_name_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COMMUNICATION_CONNECTION_STRING", "local")
    assert load_settings().uses_local_acs


def test_values_are_read_from_a_dot_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ROOMBOT_ADMINS=U0ADMIN1,W0GRID22\nPORT=4000\n")
    settings = load_settings()
    assert settings.roombot_admins == frozenset({"U0ADMIN1", "W0GRID22"})
    assert settings.port == 4000


def test_the_environment_wins_over_dot_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PORT=4000\n")
    monkeypatch.setenv("PORT", "5000")
    assert load_settings().port == 5000


def test_secrets_never_show_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-very-secret")
    monkeypatch.setenv("ACS_CONNECTION_STRING", "endpoint=https://x/;accesskey=c2VjcmV0")
    shown = repr(load_settings())
    assert "xoxb-very-secret" not in shown
    assert "c2VjcmV0" not in shown


def test_an_empty_value_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    settings = load_settings()
    assert settings.database_url is None
    assert settings.slack_bot_token is None


def test_require_names_the_missing_variable_and_how_to_get_it() -> None:
    with pytest.raises(ConfigurationError, match=r"^SLACK_SIGNING_SECRET is not set: copy it"):
        load_settings().require("SLACK_SIGNING_SECRET")


def test_dot_env_example_documents_every_setting() -> None:
    from bot.config import Settings

    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    documented = {line.split("=")[0] for line in example.splitlines() if "=" in line[:40]}
    assert {name.upper() for name in Settings.model_fields} <= documented


def test_the_public_url_loses_its_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROOMBOT_PUBLIC_URL", "https://roombot.example.com/")
    assert load_settings().roombot_public_url == "https://roombot.example.com"


def test_a_short_session_secret_is_refused_without_showing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ROOMBOT_SESSION_SECRET", "hunter2-hunter2")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert "hunter2" not in caught.value.message


def test_with_a_bot_token_the_client_id_and_secret_only_sign_people_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Setting them for Sign in with Slack must not turn a single-workspace install into a
    multi-workspace one."""
    monkeypatch.setenv("SLACK_CLIENT_ID", "111.222")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "client-secret")
    assert (load_settings().oauth_enabled, load_settings().sign_in_configured) == (True, True)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert (load_settings().oauth_enabled, load_settings().sign_in_configured) == (False, True)
