"""Reading who asked and from which workspace out of any Slack payload."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.services.access import Actor
from bot.services.domain import Workspace

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from slack_sdk import WebClient

    from bot.listeners.directory import SlackUser, UserDirectory
    from bot.services.container import Services


def workspace_of(body: dict[str, Any]) -> Workspace:
    """Commands carry team_id/enterprise_id; interactions carry team/enterprise objects."""
    enterprise = body.get("enterprise_id") or (body.get("enterprise") or {}).get("id") or ""
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    if not team:
        team = (body.get("user") or {}).get("team_id") or ""
    return Workspace(enterprise_id=str(enterprise), team_id=str(team))


def user_id_of(body: dict[str, Any]) -> str:
    return str(body.get("user_id") or (body.get("user") or {}).get("id") or "")


class Requester:
    """The person behind a request: identity, rights and time zone, looked up once."""

    def __init__(
        self, body: dict[str, Any], client: WebClient, services: Services, users: UserDirectory
    ) -> None:
        self.workspace = workspace_of(body)
        self.user_id = user_id_of(body)
        self._profile: SlackUser | None = users.lookup(client, self.workspace.team_id, self.user_id)
        self._services = services

    @property
    def actor(self) -> Actor:
        workspace_admin = bool(self._profile and self._profile.is_admin)
        return Actor(
            self.user_id, is_admin=workspace_admin or self.user_id in self._services.admins
        )

    @property
    def tz(self) -> ZoneInfo:
        fallback = self._services.default_timezone
        return self._profile.zone(fallback) if self._profile else fallback
