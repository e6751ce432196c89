"""The App Home tab, published when it is opened (`home_tab.py` says what it shows)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.listeners.guard import guarded
from bot.listeners.home_tab import publish_home
from bot.listeners.requester import Requester

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

    from bot.listeners.directory import UserDirectory
    from bot.services.container import Services


def register(app: App, services: Services, users: UserDirectory) -> None:
    @app.event("app_home_opened")
    def home_opened(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        with guarded(lambda _message: None):
            requester = Requester({**body, "user_id": event["user"]}, client, services, users)
            publish_home(client, services, requester)
