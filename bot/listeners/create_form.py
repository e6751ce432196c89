"""The create form: opened on a fresh trigger, each with its own creation key."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from bot.blocks.create_modal import CreateDefaults, create_room_modal

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.listeners.interaction import Interaction


def open_create_modal(it: Interaction, body: dict[str, Any], defaults: CreateDefaults) -> None:
    show_create_modal(it.client, body["trigger_id"], defaults)


def show_create_modal(client: WebClient, trigger_id: str, defaults: CreateDefaults) -> None:
    """Each opened form carries its own nonce: submitting it twice makes one room, and no
    two forms can ever share a creation key (view ids alone may repeat in a stand-in)."""
    metadata = json.dumps({"create": uuid.uuid4().hex})
    client.views_open(
        trigger_id=trigger_id, view=create_room_modal(defaults=defaults, private_metadata=metadata)
    )


def creation_key_of(view: dict[str, Any]) -> str:
    try:
        nonce = json.loads(view.get("private_metadata") or "{}").get("create")
    except (ValueError, AttributeError):
        nonce = None
    return f"form:{nonce}" if nonce else f"view:{view['id']}"
