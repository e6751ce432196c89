"""RoomBot's Slack credentials: one workspace's bot token, or Bolt's OAuth install flow with
installations in RoomBot's database (multi-workspace mode).

Installations, bots and OAuth states live in the same database as the rooms (migration 0002
makes their tables exactly as slack_sdk's SQLAlchemy stores define them), so every instance
behind a load balancer sees every install, and a state issued by one instance is accepted by
another. Rotating tokens are refreshed by whichever instance needs one first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.listeners.registry import BOT_SCOPES
from bot.services.attempts import Action
from bot.services.domain import Workspace
from bot.services.errors import ConfigurationError, RoomBotError

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk.oauth.installation_store import Installation, InstallationStore
    from sqlalchemy import Engine

    from bot.config import Settings
    from bot.services.audit.trail import AuditTrail

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# Slack's own default: a state is good for ten minutes between "Add to Slack" and the redirect.
STATE_SECONDS = 600
# Refresh a rotating token this long before it expires (Slack's tokens live 12 hours).
REFRESH_MINUTES_BEFORE_EXPIRY = 120


def app_client(settings: Settings) -> WebClient:
    # In multi-workspace mode every request's token comes from its workspace's installation.
    secret = None if settings.oauth_enabled else settings.slack_bot_token
    token = secret.get_secret_value() if secret else None
    return WebClient(token=token, base_url=settings.slack_api_url)


def retry_rate_limits(client: WebClient) -> None:
    """Retry Slack's 429s after their Retry-After, and dropped connections. Bolt copies these
    handlers into every per-request client; the OAuth flow and token rotation use `client`."""
    kinds = {type(handler) for handler in client.retry_handlers}
    if ConnectionErrorRetryHandler not in kinds:
        client.retry_handlers.append(ConnectionErrorRetryHandler(max_retry_count=2))
    if RateLimitErrorRetryHandler not in kinds:
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))


InstallHook = Callable[[Workspace], None]


class ReportingInstallationStore(SQLAlchemyInstallationStore):
    """Tells `on_installed` when a workspace installs RoomBot for the first time (not when a
    reinstall or a token rotation saves it again), so the audit trail can record it."""

    def __init__(self, *, client_id: str, engine: Engine, on_installed: InstallHook) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self._on_installed = on_installed

    def save(self, installation: Installation) -> None:
        first = (
            self.find_bot(
                enterprise_id=installation.enterprise_id,
                team_id=installation.team_id,
                is_enterprise_install=installation.is_enterprise_install,
            )
            is None
        )
        super().save(installation)
        if first:
            team = None if installation.is_enterprise_install else installation.team_id
            self._on_installed(Workspace(installation.enterprise_id or "", team or ""))


def bolt_installation_kwargs(
    settings: Settings, engine: Engine, on_installed: InstallHook | None = None
) -> dict[str, Any]:
    """App(...) arguments for multi-workspace mode."""
    flow = oauth_settings(settings, engine, on_installed)
    # Handing Bolt the store too makes it authorize (and rotate tokens) with the app's client,
    # which knows SLACK_API_URL and the retry handlers; OAuthSettings alone would not.
    return {"installation_store": flow.installation_store, "oauth_settings": flow}


def audit_installs(audit: AuditTrail | None) -> InstallHook | None:
    """First installs go to the audit trail; a store hiccup there must not fail the install."""
    if audit is None:
        return None

    def record(workspace: Workspace) -> None:
        try:
            audit.record(workspace, action=Action.INSTALLATION_ADDED)
        except RoomBotError as problem:
            log.warning("install of %s not audited: %s", workspace.team_id, problem.message)

    return record


def installation_store(
    settings: Settings, engine: Engine, on_installed: InstallHook | None = None
) -> SQLAlchemyInstallationStore:
    """Our migrations create the tables; the store's create_tables() must never run."""
    client_id = _client_id(settings)
    if on_installed is None:
        return SQLAlchemyInstallationStore(client_id=client_id, engine=engine)
    return ReportingInstallationStore(client_id=client_id, engine=engine, on_installed=on_installed)


def oauth_settings(
    settings: Settings, engine: Engine, on_installed: InstallHook | None = None
) -> OAuthSettings:
    secret = settings.slack_client_secret
    return OAuthSettings(
        client_id=_client_id(settings),
        client_secret=secret.get_secret_value() if secret else None,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=installation_store(settings, engine, on_installed),
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine),
        state_expiration_seconds=STATE_SECONDS,
        token_rotation_expiration_minutes=REFRESH_MINUTES_BEFORE_EXPIRY,
    )


def authorization_url(api_url: str) -> str:
    """Slack's authorize page beside its Web API (so a GovSlack or test API URL is honoured)."""
    return urljoin(api_url, "../oauth/v2/authorize")


def _client_id(settings: Settings) -> str:
    if not settings.slack_client_id:
        raise ConfigurationError("SLACK_CLIENT_ID is not set: needed for multi-workspace installs")
    return settings.slack_client_id


ClientFor = Callable[[Workspace], WebClient | None]


def workspace_clients(app: App, settings: Settings) -> ClientFor:
    """Web API clients for work done outside any Slack request (the reminder loop): the app's
    own in single-workspace mode; otherwise one with the workspace's stored bot token (rotated
    when near expiry), or None when the workspace has no installation."""
    store = app.installation_store
    if store is None:
        return lambda _workspace: app.client
    secret = settings.slack_client_secret
    rotator = TokenRotator(
        client_id=_client_id(settings),
        client_secret=secret.get_secret_value() if secret else "",
        client=app.client,
    )

    def client_for(workspace: Workspace) -> WebClient | None:
        installation = _installation(store, workspace)
        if installation is None or installation.bot_token is None:
            return None
        refreshed = rotator.perform_token_rotation(
            installation=installation, minutes_before_expiration=REFRESH_MINUTES_BEFORE_EXPIRY
        )
        if refreshed is not None:
            store.save(refreshed)
            installation = refreshed
        return _client_like(app.client, installation.bot_token)

    return client_for


def _installation(store: InstallationStore, workspace: Workspace) -> Installation | None:
    enterprise_id = workspace.enterprise_id or None
    found = store.find_installation(enterprise_id=enterprise_id, team_id=workspace.team_id)
    if found is None and enterprise_id:  # an org-wide (Enterprise Grid) install
        found = store.find_installation(
            enterprise_id=enterprise_id, team_id=None, is_enterprise_install=True
        )
    return found


def _client_like(template: WebClient, token: str | None) -> WebClient:
    """As Bolt builds its per-request clients: same API URL, timeout and retry handlers."""
    return WebClient(
        token=token,
        base_url=template.base_url,
        timeout=template.timeout,
        retry_handlers=list(template.retry_handlers),
    )
