"""The room card in its channel: posted once, updated in place, changes told in its thread."""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.blocks.kit import thread_note
from bot.blocks.room_card import room_card

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

    from slack_sdk import WebClient

    from bot.services.container import Services
    from bot.services.domain import RoomDetails

log = logging.getLogger(__name__)

# Slack errors that mean "you can't post there", as opposed to Slack being down.
CANNOT_POST = {"channel_not_found", "not_in_channel", "is_archived", "restricted_action"}


class ChannelPacer:
    """Keeps chat.postMessage near Slack's ~1 message per second per channel.

    A short burst goes out at once, as Slack allows; after it, posts to the same channel are
    spaced `interval` apart by making the caller wait its turn. Slack's 429 + Retry-After (the
    WebClient retries those) stays the backstop, e.g. when several instances post to one channel.
    """

    def __init__(
        self,
        *,
        interval: float = 1.0,
        burst: int = 4,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval, self._allowance = interval, (burst - 1) * interval
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next_slot: dict[Hashable, float] = {}

    def wait_turn(self, channel: Hashable) -> float:
        """Block until a post to `channel` may go out; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = max(self._next_slot.get(channel, now), now)
            self._next_slot[channel] = slot + self._interval
            self._forget_idle_channels(now)
        delay = max(0.0, slot - now - self._allowance)
        if delay > 0:
            self._sleep(delay)
        return delay

    def _forget_idle_channels(self, now: float) -> None:
        if len(self._next_slot) > 1000:
            self._next_slot = {k: v for k, v in self._next_slot.items() if v > now}


# Keyed by API URL and channel: one Slack's channel is not another's (tests run many stand-ins).
PACER = ChannelPacer()


def post_paced(client: WebClient, channel: str, **message: Any) -> Any:
    PACER.wait_turn((client.base_url, channel))
    return client.chat_postMessage(channel=channel, **message)


def post_card(client: WebClient, services: Services, room: RoomDetails) -> RoomDetails | str:
    """Post the card to the room's channel; returns the room with its card, or why it failed."""
    if not room.channel_id:
        return "no channel was chosen"
    card = room_card(room, now=services.clock(), links=services.join_links)
    try:
        response = post_paced(client, room.channel_id, **card)
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        if error not in CANNOT_POST:
            raise
        return _cannot_post_reason(error, room.channel_id)
    return services.changes.set_card(
        room, channel_id=str(response["channel"]), card_ts=str(response["ts"])
    )


def _cannot_post_reason(error: str, channel_id: str) -> str:
    if error == "not_in_channel":
        return f"I'm not in <#{channel_id}>: invite me with `/invite @RoomBot` to get room cards"
    if error == "is_archived":
        return f"<#{channel_id}> is archived"
    return f"I can't post in <#{channel_id}>"


def refresh_card(
    client: WebClient,
    services: Services,
    room: RoomDetails,
    note: str | None = None,
    *,
    deleted_by: str | None = None,
) -> None:
    """Update the card in place and tell what changed in its thread. Failures are logged,
    not raised: the change itself already happened."""
    if not (room.channel_id and room.card_ts):
        return
    card = room_card(room, now=services.clock(), deleted_by=deleted_by, links=services.join_links)
    try:
        client.chat_update(channel=room.channel_id, ts=room.card_ts, **card)
        if note:
            post_paced(client, room.channel_id, thread_ts=room.card_ts, **thread_note(note))
    except SlackApiError as exc:
        log.warning("could not update the card of room #%s: %s", room.number, _error(exc))


def _error(exc: SlackApiError) -> Any:
    return exc.response.get("error")
