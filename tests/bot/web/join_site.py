"""The join page as RoomBot serves it, on real services (ACS emulator, real store) and signed
in through the Slack stand-in's real Sign in with Slack, driven with Flask's test client."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from flask.testing import FlaskClient
from pydantic import SecretStr
from sqlalchemy import Engine

from acs_emulator import RunningEmulator
from bot.config import Settings
from bot.services.container import Services
from bot.services.domain import Role, RoomDetails, Workspace
from bot.services.new_room import NewRoom
from bot.web.assembly import join_web
from slack_standin import RunningStandin
from tests.slack_standin.signin_flow import choices, visit
from tests.support.slack_stack import make_services

PUBLIC_URL = "https://roombot.example.com"
CLIENT_ID = "2141029472.691202649728"
CLIENT_SECRET = "client-secret-for-join-tests"
SESSION_SECRET = "session-secret-for-join-tests-0123456789"


def settings(standin: RunningStandin, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_api_url": standin.base_url,
        "slack_client_id": CLIENT_ID,
        "slack_client_secret": SecretStr(CLIENT_SECRET),
        "roombot_public_url": PUBLIC_URL,
        "roombot_session_secret": SecretStr(SESSION_SECRET),
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]


@dataclass
class Site:
    client: FlaskClient
    standin: RunningStandin
    services: Services
    public_url: str = PUBLIC_URL

    @property
    def workspace(self) -> Workspace:
        return Workspace("", self.standin.workspace.team_id)

    def room(self, *, members: dict[str, Role], starts_in: timedelta = timedelta(0)) -> RoomDetails:
        now = self.services.clock()
        request = NewRoom(
            workspace=self.workspace,
            organizer_id=self.standin.workspace.user("ana").id,
            title="Design crit",
            valid_from=now + starts_in,
            valid_until=now + starts_in + timedelta(hours=1),
            members=members,
            pstn_dial_out_enabled=False,
            channel_id=None,
            creation_key=uuid.uuid4().hex,
        )
        return self.services.rooms.create(request).room

    def sign_in(self, user: str, next_path: str) -> Any:
        """Start, choose `user` on the stand-in's page, and come back: the callback's answer."""
        start = self.client.get(f"/auth/slack/start?next={next_path}")
        assert start.status_code == 302, start.get_data(as_text=True)
        page = visit(start.headers["Location"])
        chosen = visit(urljoin(start.headers["Location"], choices(page)[self.user_id(user)]))
        assert chosen.location is not None
        assert chosen.location.startswith(self.public_url)
        return self.client.get(chosen.location.removeprefix(self.public_url))

    def user_id(self, name: str) -> str:
        return self.standin.workspace.user(name).id

    def csrf(self, key: str) -> str:
        html = self.client.get(f"/r/{key}").get_data(as_text=True)
        marker = '<meta name="roombot-csrf" content="'
        return html.split(marker, 1)[1].split('"', 1)[0]


def make_site(
    standin: RunningStandin,
    services: Services,
    *,
    installed_in: str | None = None,
    **overrides: Any,
) -> Site:
    """RoomBot installed in the stand-in's workspace (or in `installed_in`, another team)."""
    public_url = overrides.get("roombot_public_url", PUBLIC_URL)
    standin.register_oidc_client(CLIENT_ID, CLIENT_SECRET, [public_url + "/auth/slack/callback"])
    team = installed_in or standin.workspace.team_id
    app = join_web(settings(standin, **overrides), services, lambda ws: ws.team_id == team)
    assert app is not None
    return Site(app.test_client(), standin, services, public_url)


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def join_services(engine: Engine, emulator: RunningEmulator, **overrides: Any) -> Services:
    """Services as serve builds them with the join page's settings (personal links need the
    same session secret as the page that redeems them)."""
    values: dict[str, Any] = {
        "roombot_public_url": PUBLIC_URL,
        "roombot_session_secret": SecretStr(SESSION_SECRET),
    }
    return make_services(engine, emulator, **(values | overrides))
