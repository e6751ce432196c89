"""Multi-workspace mode: install through OAuth, work with the stored token, uninstall."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine

from bot.listeners.registry import BOT_SCOPES
from slack_standin import RunningStandin
from tests.bot.run_modes.conftest import CLIENT_ID, Served
from tests.bot.run_modes.helpers import HttpAnswer, HttpSlack, http
from tests.bot.run_modes.test_http_endpoints import ana_types, replied


def start_install(server: Served) -> tuple[HttpAnswer, str]:
    page = http(f"{server.url}/slack/install")
    match = re.match(r"slack-app-oauth-state=([^;]+)", page.headers.get("Set-Cookie", ""))
    assert match, page.headers
    return page, match.group(1)


def install(server: Served, code: str = "code-1") -> HttpAnswer:
    """What a browser does: open the install page, approve in Slack, follow the redirect."""
    _, state = start_install(server)
    return http(
        f"{server.url}/slack/oauth_redirect?code={quote(code)}&state={quote(state)}",
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    )


def stored(engine: Engine, team_id: str) -> Installation | None:
    store = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=engine)
    return store.find_installation(enterprise_id=None, team_id=team_id)


def test_the_install_page_sends_the_user_to_slack_with_our_scopes_and_a_state(
    oauth_server: Served,
) -> None:
    page, state = start_install(oauth_server)
    link = re.search(r'href="([^"]*/oauth/v2/authorize[^"]*)"', page.body)
    assert page.status == 200
    assert link
    url = urlsplit(html.unescape(link.group(1)))
    query = parse_qs(url.query)
    assert url.path == "/oauth/v2/authorize"
    assert query["state"] == [state]
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"][0].split(",") == list(BOT_SCOPES)


def test_the_redirect_saves_the_installation_in_our_database(
    oauth_server: Served, standin: RunningStandin, engine: Engine
) -> None:
    assert install(oauth_server).status == 200
    installation = stored(engine, standin.workspace.team_id)
    assert installation is not None
    assert installation.bot_token is not None
    assert installation.bot_token.startswith("xoxb-")
    assert installation.bot_refresh_token is not None


def test_a_redirect_without_the_state_cookie_installs_nothing(
    oauth_server: Served, standin: RunningStandin, engine: Engine
) -> None:
    _, state = start_install(oauth_server)
    answer = http(f"{oauth_server.url}/slack/oauth_redirect?code=c&state={quote(state)}")
    assert answer.status >= 400
    assert stored(engine, standin.workspace.team_id) is None


def test_after_install_the_workspace_s_requests_use_its_stored_token(
    oauth_server: Served, standin: RunningStandin, engine: Engine
) -> None:
    install(oauth_server)
    ana_types(oauth_server.slack(standin.workspace.team_id), standin, "create Installed")
    card = standin.wait_for("chat.postMessage")
    installation = stored(engine, standin.workspace.team_id)
    assert installation is not None
    assert card.token == installation.bot_token


def test_app_uninstalled_deletes_the_installation(
    oauth_server: Served, standin: RunningStandin, engine: Engine
) -> None:
    install(oauth_server)
    slack = oauth_server.slack(standin.workspace.team_id)
    assert slack.event({"type": "app_uninstalled"}).status == 200
    assert stored(engine, standin.workspace.team_id) is None


def test_revoked_bot_tokens_delete_the_bot(
    oauth_server: Served, standin: RunningStandin, engine: Engine
) -> None:
    install(oauth_server)
    revoked: dict[str, Any] = {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"]}}
    oauth_server.slack(standin.workspace.team_id).event(revoked)
    store = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=engine)
    assert store.find_bot(enterprise_id=None, team_id=standin.workspace.team_id) is None


def test_a_token_near_expiry_is_rotated_and_the_new_one_stored(
    oauth_server: Served, standin: RunningStandin, engine: Engine
) -> None:
    install(oauth_server)
    store = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=engine)
    first = stored(engine, standin.workspace.team_id)
    assert first is not None
    soon = datetime.now(UTC) + timedelta(minutes=5)
    first.bot_token_expires_at = int(soon.timestamp())
    store.save(first)
    ana_types(oauth_server.slack(standin.workspace.team_id), standin, "create Rotated")
    refresh = standin.wait_for(
        "oauth.v2.access", lambda c: c.args.get("grant_type") == "refresh_token"
    )
    card = standin.wait_for("chat.postMessage")
    rotated = stored(engine, standin.workspace.team_id)
    assert rotated is not None
    assert rotated.bot_token == refresh.response["access_token"]
    assert card.token == rotated.bot_token != first.bot_token


def test_two_installed_workspaces_cannot_see_each_other_s_rooms(
    oauth_server: Served, standin: RunningStandin, engine: Engine
) -> None:
    first_team = standin.workspace.team_id
    install(oauth_server, "code-first")
    standin.workspace.team_id = "T0SECOND"  # the same stand-in now plays a second workspace
    install(oauth_server, "code-second")
    assert stored(engine, "T0SECOND") is not None
    ana_types(oauth_server.slack(first_team), standin, "create Alpha")
    standin.wait_for("response_url", replied("Room #1 is ready"))
    standin.clear()
    ana_types(oauth_server.slack("T0SECOND"), standin, "list all")
    second_sees = standin.wait_for("response_url")
    standin.clear()
    ana_types(oauth_server.slack(first_team), standin, "list all")
    first_sees = standin.wait_for("response_url")
    assert "Alpha" not in json.dumps(second_sees.args)
    assert "Alpha" in json.dumps(first_sees.args)


def test_a_request_from_a_workspace_that_never_installed_is_not_served(
    oauth_server: Served, standin: RunningStandin
) -> None:
    ana_types(oauth_server.slack("T0STRANGER"), standin, "create Nope")
    standin.wait_for("response_url", replied("reinstall this app"))
    assert standin.calls("chat.postMessage") == []


def test_oauth_mode_refuses_unsigned_requests_too(
    oauth_server: Served, standin: RunningStandin
) -> None:
    forger = HttpSlack(oauth_server.url, team_id=standin.workspace.team_id, signing_secret="x")
    assert ana_types(forger, standin, "help").status == 401


def org_wide_installation() -> Installation:
    return Installation(
        app_id="A0ROOMBOT",
        enterprise_id="E0GRID",
        team_id=None,
        is_enterprise_install=True,
        bot_token="xoxb-org-wide",
        bot_id="B0ORG",
        bot_user_id="U0ORGBOT",
        user_id="U0ADMIN",
    )


def test_uninstalling_an_org_wide_install_deletes_it_by_enterprise(
    oauth_server: Served, standin: RunningStandin, engine: Engine
) -> None:
    store = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=engine)
    store.save(org_wide_installation())
    grid = {"enterprise_id": "E0GRID", "team_id": "T0GRIDWS", "is_enterprise_install": True}
    envelope = {
        "type": "event_callback",
        "event_id": "Ev0ORGGONE",
        "api_app_id": "A0ROOMBOT",
        "enterprise_id": "E0GRID",
        "team_id": "T0GRIDWS",
        "event": {"type": "app_uninstalled"},
        "authorizations": [grid],
    }
    slack = oauth_server.slack("T0GRIDWS")
    assert slack.send(json.dumps(envelope), "application/json").status == 200
    assert (
        store.find_installation(enterprise_id="E0GRID", team_id=None, is_enterprise_install=True)
        is None
    )


def audited_actions(server: Served, team_id: str) -> list[str]:
    from bot.services.access import Actor
    from bot.services.audit.events import AuditFilters
    from bot.services.domain import Workspace

    audit = server.runtime.services.audit
    assert audit is not None
    page = audit.read(Workspace("", team_id), Actor("U0ADMIN", is_admin=True), AuditFilters())
    return [event.action for event in page.events]


def test_a_first_install_and_an_uninstall_are_in_the_audit_trail(
    oauth_server: Served, standin: RunningStandin
) -> None:
    install(oauth_server)
    install(oauth_server, code="code-2")  # a reinstall is not a second installation
    oauth_server.slack(standin.workspace.team_id).event({"type": "app_uninstalled"})
    actions = audited_actions(oauth_server, standin.workspace.team_id)
    assert actions.count("installation.added") == 1
    assert actions.count("installation.removed") == 1
