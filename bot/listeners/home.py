"""The App Home tab: published when opened and refreshed after changes made from it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks.home import app_home
from bot.listeners.audit import home_section
from bot.listeners.directory import UserDirectory
from bot.listeners.guard import guarded
from bot.listeners.requester import Requester
from bot.services.container import Services
from bot.services.domain import RoomState

RECENTLY_ENDED = timedelta(days=7)


def publish_home(client: WebClient, services: Services, requester: Requester) -> None:
    now = services.clock()
    rooms = services.rooms.list_rooms(
        requester.workspace, involving=requester.user_id, include_ended=True, limit=200
    )
    live = [r for r in rooms if r.state is RoomState.ACTIVE]
    view = app_home(
        rooms_open=[r for r in live if r.is_open(now)],
        rooms_upcoming=[r for r in live if r.valid_from > now],
        rooms_ended=[r for r in live if now - RECENTLY_ENDED <= r.valid_until <= now],
        now=now,
        is_admin=requester.actor.is_admin,
        admin_section=home_section(services, requester),
    )
    client.views_publish(user_id=requester.user_id, view=view)


def register(app: App, services: Services, users: UserDirectory) -> None:
    @app.event("app_home_opened")
    def home_opened(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        with guarded(lambda _message: None):
            requester = Requester({**body, "user_id": event["user"]}, client, services, users)
            publish_home(client, services, requester)
