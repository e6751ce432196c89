"""Answering a request whose `response_url` has expired.

Slack honours a `response_url` for 30 minutes. A job taken up again after its worker died, or
left waiting through a stop, may run later than that; its answer then goes to the person
directly: as an ephemeral message in the channel where they asked, else in their DM with the
app. Replacing or deleting the original message is only possible through the `response_url`,
so a late answer is always a new message.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

if TYPE_CHECKING:
    from slack_sdk import WebClient

log = logging.getLogger(__name__)

# Slack's lifetime for a response_url, less a margin for the work the job does first.
RESPONSE_URL_SECONDS = 30 * 60 - 60
# Set by the job worker: when the request was acknowledged (epoch seconds).
ACKNOWLEDGED_AT = "roombot_acknowledged_at"


def response_url_expired(context: dict[str, Any], now: float | None = None) -> bool:
    acknowledged = context.get(ACKNOWLEDGED_AT)
    if acknowledged is None:
        return False
    return (time.time() if now is None else now) - float(acknowledged) > RESPONSE_URL_SECONDS


class LateRespond:
    """Stands in for Bolt's `respond` once the `response_url` has expired."""

    def __init__(self, client: WebClient, body: dict[str, Any]) -> None:
        self._client = client
        self._user = str(body.get("user_id") or (body.get("user") or {}).get("id") or "")
        self._channel = str(body.get("channel_id") or (body.get("channel") or {}).get("id") or "")

    def __call__(self, text: str = "", blocks: Any = None, **_ignored: Any) -> None:
        if not text and not blocks:
            return  # only a replacement or deletion of the original, which can't be done now
        if self._channel and self._posted_ephemeral(text, blocks):
            return
        self._client.chat_postMessage(channel=self._user, text=text, blocks=blocks)

    def _posted_ephemeral(self, text: str, blocks: Any) -> bool:
        try:
            self._client.chat_postEphemeral(
                channel=self._channel, user=self._user, text=text, blocks=blocks
            )
        except SlackApiError as error:  # not in the channel any more, the channel archived...
            log.info("late answer goes to the DM: %s", error.response.get("error"))
            return False
        return True
