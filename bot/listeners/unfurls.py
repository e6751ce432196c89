"""Join links pasted into Slack, unfurled into the room's compact card (`link_shared` →
`chat.unfurl`). Only links to RoomBot's own join page, for a room of the workspace the link was
pasted in that is not deleted: any other link (another workspace's room, an unknown key) unfurls
to nothing, so a link reveals nothing to a workspace that does not own it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.blocks.unfurl import room_unfurl
from bot.listeners.after_ack import ack_then
from bot.listeners.requester import workspace_of
from bot.services.domain import RoomState
from bot.services.errors import RoomBotError

if TYPE_CHECKING:
    from slack_bolt import Ack, App
    from slack_sdk import WebClient

    from bot.blocks.kit import Json
    from bot.services.container import Services

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    def unfurl(body: dict[str, Any], client: WebClient) -> None:
        event = body.get("event") or {}
        unfurls = unfurls_for(services, body, event.get("links") or [])
        if not unfurls:
            return
        where: dict[str, Any] = {"channel": event.get("channel"), "ts": event.get("message_ts")}
        if event.get("unfurl_id") and event.get("source"):
            where = {"unfurl_id": event["unfurl_id"], "source": event["source"]}
        try:
            client.chat_unfurl(**where, unfurls=unfurls)
        except SlackApiError as refused:
            log.warning("unfurl not sent: Slack said %s", refused.response.get("error"))

    app.event("link_shared")(**ack_then(_ack, unfurl))


def _ack(ack: Ack) -> None:
    ack()


def unfurls_for(services: Services, body: dict[str, Any], links: list[Any]) -> dict[str, Json]:
    """The compact card of each shared link that names one of this workspace's rooms."""
    joining, workspace = services.joining, workspace_of(body)
    found: dict[str, Json] = {}
    for link in links:
        url = str((link or {}).get("url") or "")
        key = services.join_links.key_in(url)
        if key is None or joining is None or url in found:
            continue
        try:
            room = joining.room(key)
        except RoomBotError:
            continue  # no such room (JoinRefused), or the store is down: nothing to show
        if room.workspace != workspace or room.state is RoomState.DELETED:
            continue
        found[url] = room_unfurl(room, now=services.clock(), links=services.join_links)
    return found
