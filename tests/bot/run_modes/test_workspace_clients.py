"""Clients for work outside a Slack request (the reminder loop), per workspace."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from acs_emulator import RunningEmulator
from bot.oauth import workspace_clients
from bot.services.domain import Workspace
from slack_standin import RunningStandin
from tests.bot.run_modes.conftest import Served, multi_workspace, single_workspace
from tests.bot.run_modes.test_oauth_install import install, stored


def test_one_workspace_mode_uses_the_app_s_own_client(
    server: Served, standin: RunningStandin, emulator: RunningEmulator, engine_url: str
) -> None:
    settings = single_workspace(standin, emulator, engine_url)
    client_for = workspace_clients(server.runtime.app, settings)
    assert client_for(Workspace("", "T0ANY")) is server.runtime.app.client


def test_an_installed_workspace_gets_a_client_with_its_stored_token(
    oauth_server: Served,
    standin: RunningStandin,
    emulator: RunningEmulator,
    engine_url: str,
    engine: Engine,
) -> None:
    install(oauth_server)
    client_for = workspace_clients(
        oauth_server.runtime.app, multi_workspace(standin, emulator, engine_url)
    )
    client = client_for(Workspace("", standin.workspace.team_id))
    installation = stored(engine, standin.workspace.team_id)
    assert client is not None
    assert installation is not None
    assert client.token == installation.bot_token
    assert client.base_url == standin.base_url


def test_a_workspace_without_an_installation_gets_none(
    oauth_server: Served, standin: RunningStandin, emulator: RunningEmulator, engine_url: str
) -> None:
    client_for = workspace_clients(
        oauth_server.runtime.app, multi_workspace(standin, emulator, engine_url)
    )
    assert client_for(Workspace("", "T0NEVER")) is None


def test_a_token_near_expiry_is_rotated_before_use(
    oauth_server: Served,
    standin: RunningStandin,
    emulator: RunningEmulator,
    engine_url: str,
    engine: Engine,
) -> None:
    install(oauth_server)
    first = stored(engine, standin.workspace.team_id)
    assert first is not None
    first.bot_token_expires_at = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    store = oauth_server.runtime.app.installation_store
    assert store is not None
    store.save(first)
    client_for = workspace_clients(
        oauth_server.runtime.app, multi_workspace(standin, emulator, engine_url)
    )
    client = client_for(Workspace("", standin.workspace.team_id))
    rotated = stored(engine, standin.workspace.team_id)
    assert rotated is not None
    assert client is not None
    assert client.token == rotated.bot_token != first.bot_token
