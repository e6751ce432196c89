"""Channel histories and ephemeral messages, as Slack would show them now."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from slack_standin.wire import ApiError

if TYPE_CHECKING:
    from collections.abc import Mapping

Message = dict[str, Any]
_CONTENT_KEYS = ("text", "blocks", "attachments", "metadata")


def content_of(args: Mapping[str, Any]) -> Message:
    """The visible part of a message from call args; Slack needs text, blocks or attachments."""
    content = {k: args[k] for k in _CONTENT_KEYS if args.get(k) not in (None, "")}
    if not any(k in content for k in ("text", "blocks", "attachments")):
        raise ApiError("no_text")
    content.setdefault("text", "")
    return content


def bot_message(team_id: str, bot: Mapping[str, str], ts: str, content: Message) -> Message:
    """A message as Slack stores one the app posted with its bot token."""
    message: Message = {"type": "message", "ts": ts, "team": team_id, **content}
    message.update({"user": bot["user_id"], "bot_id": bot["bot_id"], "app_id": bot["app_id"]})
    return message


class ChannelHistory:
    """Messages per channel in ts order; thread replies live in the same list, like history."""

    def __init__(self) -> None:
        self._channels: dict[str, list[Message]] = {}

    def add(self, channel: str, message: Message) -> Message:
        parent_ts = message.get("thread_ts")
        if parent_ts is not None:
            self._count_reply(channel, str(parent_ts), message)
        self._channels.setdefault(channel, []).append(message)
        return message

    def find(self, channel: str, ts: str) -> Message | None:
        for message in self._channels.get(channel, []):
            if message["ts"] == ts:
                return message
        return None

    def remove(self, channel: str, ts: str) -> Message | None:
        found = self.find(channel, ts)
        if found is not None:
            self._channels[channel].remove(found)
        return found

    def history(self, channel: str) -> list[Message]:
        return copy.deepcopy(self._channels.get(channel, []))

    def clear(self) -> None:
        self._channels.clear()

    def _count_reply(self, channel: str, parent_ts: str, reply: Message) -> None:
        parent = self.find(channel, parent_ts)
        if parent is None:
            # Real Slack files a reply to a missing parent where nobody sees it; failing
            # loudly here catches the bug (a stale or reply ts) that makes that happen.
            raise ApiError("thread_not_found")
        parent["thread_ts"] = parent_ts
        parent["reply_count"] = int(parent.get("reply_count", 0)) + 1
        users = parent.setdefault("reply_users", [])
        if reply.get("user") not in users:
            users.append(reply.get("user"))
        parent["latest_reply"] = reply["ts"]


class Ephemerals:
    """Ephemeral messages: only their user sees them, and only response_url can change them."""

    def __init__(self) -> None:
        self._entries: list[Message] = []

    def add(self, entry: Message) -> Message:
        self._entries.append(entry)
        return entry

    def find(self, ts: str) -> Message | None:
        return next((e for e in self._entries if e["ts"] == ts), None)

    def remove(self, ts: str) -> None:
        self._entries = [e for e in self._entries if e["ts"] != ts]

    def for_user(self, user_id: str) -> list[Message]:
        return copy.deepcopy([e for e in self._entries if e["user"] == user_id])

    def clear(self) -> None:
        self._entries.clear()
