"""Global "Create room" and message "Create room from message" shortcuts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.blocks import ids
from bot.blocks.create_modal import CreateDefaults
from bot.blocks.text import one_line, truncate, unescape
from bot.listeners.create_form import show_create_modal
from bot.services.domain import Role

if TYPE_CHECKING:
    from slack_bolt import Ack, App
    from slack_sdk import WebClient

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SLACK_MARKUP = re.compile(r"<[^>]*>")
TITLE_FROM_MESSAGE = 80
DANGLING = {"with", "and", "&", "+", "", "cc", "for"}


def defaults_from_message(message: dict[str, Any], channel_id: str | None) -> CreateDefaults:
    """Title from the message's first line, attendees from the people it mentions."""
    text = str(message.get("text") or "")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Slack's references go; the typed text between them arrives entity-escaped.
    typed = unescape(_SLACK_MARKUP.sub("", first_line))
    title = _without_dangling_words(one_line(typed)) or "Room"
    people = list(dict.fromkeys(_MENTION.findall(text)))
    author = message.get("user")
    if author and author not in people:
        people.insert(0, str(author))
    return CreateDefaults(
        title=truncate(title, TITLE_FROM_MESSAGE),
        people={Role.ATTENDEE: people},
        channel_id=channel_id,
    )


def _without_dangling_words(title: str) -> str:
    """ "Kickoff with <@U1> and <@U2>" loses its mentions; drop the words left hanging."""
    words = title.split()
    while words and words[-1].lower().strip(",:;") in DANGLING:
        words.pop()
    return " ".join(words)


def register(app: App) -> None:
    @app.shortcut(ids.CREATE_ROOM_SHORTCUT)
    def create_room(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        show_create_modal(client, body["trigger_id"], CreateDefaults())

    @app.shortcut(ids.CREATE_ROOM_FROM_MESSAGE)
    def create_from_message(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        channel = (body.get("channel") or {}).get("id")
        defaults = defaults_from_message(body.get("message") or {}, channel)
        show_create_modal(client, body["trigger_id"], defaults)
