"""Finding what a console user would click: the newest matching button they can see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from slack_standin import RunningStandin

Json = dict[str, Any]


@dataclass(frozen=True)
class Surface:
    """Where a button was found: a channel message, an ephemeral reply, or a view."""

    container: Json
    action: Json
    channel_id: str | None = None
    message_ts: str | None = None


def buttons(blocks: list[Json]) -> Iterator[tuple[Json, str]]:
    """Each button with the block_id it sits in (actions blocks and section accessories)."""
    for block in blocks:
        elements = block.get("elements") if block.get("type") == "actions" else None
        candidates = [*(elements or []), block.get("accessory") or {}]
        for element in candidates:
            if element.get("type") == "button":
                yield element, str(block.get("block_id", ""))


def matches(button: Json, label: str, room: int | None) -> bool:
    # "Extend +1d" should find "Extend +1 d": compare without spaces or case.
    text = "".join(str((button.get("text") or {}).get("text", "")).lower().split())
    wanted = "".join(label.lower().split())
    value = str(button.get("value", ""))
    named = text.startswith(wanted) or button.get("action_id") == label
    return named and (room is None or value.split(":")[0] == str(room))


def find_button(blocks: list[Json], label: str, room: int | None) -> Json | None:
    for button, block_id in buttons(blocks):
        if matches(button, label, room):
            return {**button, "block_id": block_id}
    return None


def find_surface(
    standin: RunningStandin, user: str, channel: str, label: str, room: int | None
) -> Surface | None:
    """The newest button labelled `label` (for room `room`) that `user` can see."""
    for channel_id, message, ephemeral in _visible_messages(standin, user, channel):
        action = find_button(message.get("blocks") or [], label, room)
        if action:
            container = {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel_id,
                "is_ephemeral": ephemeral,
            }
            payload = {"container": container, "channel": {"id": channel_id}, "message": message}
            return Surface(payload, action, channel_id, message["ts"])
    home = standin.home(user)
    action = find_button(home.get("blocks") or [], label, room) if home else None
    if home and action:
        return Surface({"container": {"type": "view", "view_id": home["id"]}, "view": home}, action)
    return None


def _visible_messages(
    standin: RunningStandin, user: str, channel: str
) -> Iterator[tuple[str, Json, bool]]:
    """Newest first: my ephemeral replies, this channel, then every other channel."""
    for entry in reversed(standin.ephemerals(user)):
        yield str(entry.get("channel")), entry, True
    channels = [channel, *(c for c in standin.workspace.channels if c != channel)]
    for channel_id in channels:
        for message in reversed(standin.messages(channel_id)):
            yield channel_id, message, False
