"""The App Home tab as a person sees it: their rooms, open, upcoming and recently ended, and
the audit section for admins."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.blocks.home import app_home
from bot.listeners.audit_views import home_section
from bot.services.domain import RoomState

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.listeners.requester import Requester
    from bot.services.container import Services

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
        links=services.join_links,
    )
    client.views_publish(user_id=requester.user_id, view=view)
