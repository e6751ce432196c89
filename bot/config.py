"""Settings: read once from the environment (and `.env`), validated, failing loudly in one line.

This is the only module that reads the environment. Secrets are `SecretStr` so that a stray
`repr(settings)` or log line never shows them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from string import Formatter
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.services.errors import ConfigurationError

LOCAL_ACS = "local"
_DURATION = re.compile(r"^(\d+)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")

# What each variable expects, for one-line error messages.
EXPECTATIONS = {
    "ROOMBOT_REMINDERS": "comma-separated lead times such as 1d,1h (units s, m, h, d)",
    "ROOMBOT_REMINDER_POLL_SECONDS": "a positive number of seconds",
    "ROOMBOT_TIMEZONE": "an IANA time zone name such as Europe/Berlin",
    "ROOMBOT_ADMINS": "comma-separated Slack user IDs such as U012ABCDEF",
    "ROOMBOT_AUDIT_RETENTION_DAYS": "a whole number of days (empty keeps everything)",
    "ROOMBOT_RECONCILE_MINUTES": "a whole number of minutes (0 turns periodic runs off)",
    "PORT": "a TCP port number between 1 and 65535",
    "SLACK_API_URL": "an http(s) URL ending in /api/",
    "ROOMBOT_PUBLIC_URL": "the https address Slack users reach RoomBot at, e.g. "
    "https://roombot.example.com",
    "ROOMBOT_SESSION_SECRET": "a random string of at least 32 characters "
    "(python -c 'import secrets; print(secrets.token_urlsafe(32))')",
    "ROOMBOT_JOIN_URL": "a URL template such as https://calls.example.com/join?room={acs_room_id}",
    "ROOMBOT_EVENTGRID_SECRET": "a random string of at least 24 characters, or two "
    "comma-separated while rotating",
}
SESSION_SECRET_MIN = 32
EVENTGRID_SECRET_MIN = 24
JOIN_URL_FIELDS = frozenset({"acs_room_id", "key"})


def parse_lead_time(text: str) -> timedelta:
    match = _DURATION.match(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{text.strip()!r} is not a lead time")
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])


def _split(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value)


class Settings(BaseSettings):
    """Every knob of RoomBot. Field names are the environment variable names, lower-cased."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    acs_connection_string: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("ACS_CONNECTION_STRING", "COMMUNICATION_CONNECTION_STRING"),
    )
    acs_endpoint: str | None = None
    database_url: str | None = None
    roombot_data_dir: Path = Path(".roombot")
    roombot_admins: Annotated[frozenset[str], NoDecode] = frozenset()
    roombot_audit_channel: str | None = None
    roombot_reminders: Annotated[tuple[timedelta, ...], NoDecode] = (
        timedelta(days=1),
        timedelta(hours=1),
    )
    roombot_reminder_poll_seconds: float = Field(default=30.0, gt=0)
    roombot_timezone: Annotated[ZoneInfo, NoDecode] = ZoneInfo("UTC")
    roombot_audit_retention_days: int | None = Field(default=None, ge=1)
    roombot_reconcile_minutes: int = Field(default=60, ge=0)  # 0: only `roombot reconcile`
    roombot_work_processes: int = Field(default=1, ge=0, le=64)  # 0: in serve's own threads
    # How long a worker holds a job before any other may take it again (it renews while alive).
    roombot_job_lease_seconds: float = Field(default=30.0, ge=0.5, le=3600)
    port: int = Field(default=3000, ge=1, le=65535)
    # Joining from Slack: the https address people reach RoomBot at (its join page is
    # <ROOMBOT_PUBLIC_URL>/r/<key>), the secret its session cookies and personal links are
    # signed with, and optionally an organisation's own ACS calling app to send Join to.
    roombot_public_url: str | None = None
    roombot_session_secret: SecretStr | None = None
    roombot_join_url: str | None = None
    # Live calls: the secret Event Grid sends as `?code=` on POST /acs/events. Two, comma
    # separated, while rotating (Event Grid's subscription moves to the new one meanwhile).
    roombot_eventgrid_secret: SecretStr | None = None

    @field_validator("roombot_reminders", mode="before")
    @classmethod
    def _reminders(cls, value: Any) -> tuple[timedelta, ...]:
        leads = [v if isinstance(v, timedelta) else parse_lead_time(v) for v in _split(value)]
        return tuple(sorted(set(leads), reverse=True))

    @field_validator("roombot_admins", mode="before")
    @classmethod
    def _admins(cls, value: Any) -> frozenset[str]:
        ids = _split(value)
        bad = [i for i in ids if not _SLACK_USER_ID.match(i)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a Slack user ID")
        return frozenset(ids)

    @field_validator("roombot_timezone", mode="before")
    @classmethod
    def _timezone(cls, value: Any) -> ZoneInfo:
        if isinstance(value, ZoneInfo):
            return value
        try:
            return ZoneInfo(str(value).strip())
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "slack_client_id",
        "slack_client_secret",
        "acs_connection_string",
        "acs_endpoint",
        "database_url",
        "roombot_audit_channel",
        "roombot_audit_retention_days",
        "roombot_public_url",
        "roombot_session_secret",
        "roombot_join_url",
        "roombot_eventgrid_secret",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/]+/.*api/$", value):
            raise ValueError(f"{value!r} does not end in /api/")
        return value

    @field_validator("roombot_public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or parts.query
            or parts.fragment
        ):
            raise ValueError(f"{value!r} is not an http(s) address without query or fragment")
        return value.strip().rstrip("/")

    @field_validator("roombot_session_secret")
    @classmethod
    def _session_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < SESSION_SECRET_MIN:
            raise ValueError(f"is shorter than {SESSION_SECRET_MIN} characters")
        return value

    @field_validator("roombot_eventgrid_secret")
    @classmethod
    def _eventgrid_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        for secret in value.get_secret_value().split(","):
            if len(secret.strip()) < EVENTGRID_SECRET_MIN:
                raise ValueError(f"each secret needs {EVENTGRID_SECRET_MIN}+ characters")
        return value

    @field_validator("roombot_join_url")
    @classmethod
    def _join_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        names = {name for _, name, _, _ in Formatter().parse(value) if name is not None}
        if (
            not names
            or not names <= JOIN_URL_FIELDS
            or not value.startswith(("https://", "http://"))
        ):
            raise ValueError(
                f"{value!r} is not an http(s) template using {{acs_room_id}} or {{key}}"
            )
        return value

    # --- derived values -------------------------------------------------------------------

    @property
    def uses_local_acs(self) -> bool:
        """True when ACS is the embedded emulator (`ACS_CONNECTION_STRING=local`)."""
        secret = self.acs_connection_string
        return secret is not None and secret.get_secret_value().strip().lower() == LOCAL_ACS

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.roombot_data_dir.resolve() / 'roombot.db'}"

    @property
    def oauth_enabled(self) -> bool:
        """Multi-workspace installs: the client ID and secret without a bot token. With
        SLACK_BOT_TOKEN set, RoomBot stays single-workspace and uses them only for sign-in."""
        return self.sign_in_configured and self.slack_bot_token is None

    @property
    def sign_in_configured(self) -> bool:
        """Sign in with Slack (the join page) needs the app's client ID and secret."""
        return bool(self.slack_client_id and self.slack_client_secret)

    def require(self, *names: str) -> None:
        """Raise ConfigurationError naming the first of `names` (env var names) that is unset."""
        for name in names:
            if getattr(self, name.lower()) is None:
                raise ConfigurationError(f"{name} is not set: {_NEEDED.get(name, 'required')}")


_NEEDED = {
    "SLACK_SIGNING_SECRET": "copy it from your Slack app's Basic Information page",
    "SLACK_BOT_TOKEN": "the xoxb- token from OAuth & Permissions (or set SLACK_CLIENT_ID and "
    "SLACK_CLIENT_SECRET for multi-workspace installs)",
    "SLACK_APP_TOKEN": "an xapp- app-level token with connections:write, for Socket Mode",
    "ACS_CONNECTION_STRING": "endpoint=https://<resource>.communication.azure.com/;accesskey=... "
    "(or 'local' for the embedded emulator)",
}


def load_settings(**overrides: Any) -> Settings:
    """Read settings once; on a bad value raise ConfigurationError naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigurationError(_first_problem(exc)) from None


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    name = str(error["loc"][0]).upper() if error["loc"] else "settings"
    if name == "COMMUNICATION_CONNECTION_STRING":
        name = "ACS_CONNECTION_STRING"
    reason = str(error["msg"]).removeprefix("Value error, ")
    expected = EXPECTATIONS.get(name)
    return f"{name}: {reason}" + (f"; expected {expected}" if expected else "")
