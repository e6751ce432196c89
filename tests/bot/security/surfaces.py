"""Checks shared by the escaping tests: no Slack markup from user text, Block Kit limits hold."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from tests.support.block_kit import every_object

# Markup RoomBot itself writes: mentions of ids it knows, its channel, and local-time dates.
_OURS = re.compile(r"<(?:@(?:U0ORGANIZER|U0ALICE|U0BOB)|#C0CHANNEL|!date\^\d+\^[^<>|]*\|[^<>]*)>")
_MARKUP = re.compile(r"<[^<>]*>")
# Strings Slack never renders as text, or raw input values that are not parsed as markup.
_NOT_RENDERED = {"action_id", "block_id", "callback_id", "value", "private_metadata", "type"}
_NOT_RENDERED |= {"initial_value", "style", "ts", "channel"}

# Slack's limits (shared/reference/SLACK_PLATFORM.md §3, slack_sdk's models).
LIMITS = {
    "section": 3000,
    "field": 2000,
    "header": 150,
    "button": 75,
    "option": 75,
    "view_title": 24,
    "context_elements": 10,
    "actions_elements": 25,
    "message_blocks": 50,
    "view_blocks": 100,
    "value": 2000,
    "label": 2000,
    "placeholder": 150,
    "private_metadata": 3000,
}


def rendered_strings(node: Any, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from rendered_strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from rendered_strings(v, key)
    elif isinstance(node, str) and key not in _NOT_RENDERED:
        yield node


def foreign_markup(surface: Any) -> list[str]:
    """Every `<…>` on the surface that RoomBot did not write itself."""
    found = []
    for text in rendered_strings(surface):
        found += [m for m in _MARKUP.findall(text) if not _OURS.fullmatch(m)]
    return found


def limit_breaches(blocks: list[dict[str, Any]]) -> list[str]:
    """Each Block Kit limit a list of blocks breaks, described; [] when all hold."""
    broken: list[str] = []

    def over(what: str, text: str, limit: int) -> None:
        if len(text) > limit or not text:
            broken.append(f"{what}: {len(text)} > {limit}")

    for block in blocks:
        kind = block["type"]
        if kind == "section":
            if "text" in block:
                over("section text", block["text"]["text"], LIMITS["section"])
            for item in block.get("fields", []):
                over("section field", item["text"], LIMITS["field"])
        if kind == "header":
            over("header", block["text"]["text"], LIMITS["header"])
        if kind == "context" and len(block["elements"]) > LIMITS["context_elements"]:
            broken.append("context elements")
        if kind == "actions" and len(block["elements"]) > LIMITS["actions_elements"]:
            broken.append("actions elements")
        if kind == "input":
            over("input label", block["label"]["text"], LIMITS["label"])
        for node in every_object(block):
            if node.get("type") == "button":
                over("button text", node["text"]["text"], LIMITS["button"])
                over("button value", node.get("value", "v"), LIMITS["value"])
            if "placeholder" in node:
                over("placeholder", node["placeholder"]["text"], LIMITS["placeholder"])
            if "options" in node:
                for item in node["options"]:
                    over("option text", item["text"]["text"], LIMITS["option"])
        broken += _slack_sdk_problems(block)
    return broken


def _slack_sdk_problems(block: dict[str, Any]) -> list[str]:
    # slack_sdk runs its own validators on to_dict(); equality proves nothing was dropped.
    try:
        parsed = Block.parse(block)
        return [] if parsed is not None and parsed.to_dict() == block else ["slack_sdk drops"]
    except SlackObjectFormationError as error:
        return [f"slack_sdk: {error}"]


def message_breaches(message: dict[str, Any]) -> list[str]:
    broken = limit_breaches(message["blocks"])
    if not 0 < len(message["blocks"]) <= LIMITS["message_blocks"]:
        broken.append(f"{len(message['blocks'])} blocks in a message")
    if not message["text"].strip():
        broken.append("no fallback text")
    return broken


def view_breaches(view: dict[str, Any]) -> list[str]:
    broken = limit_breaches(view["blocks"])
    if len(view["blocks"]) > LIMITS["view_blocks"]:
        broken.append(f"{len(view['blocks'])} blocks in a view")
    for key in ("title", "submit", "close"):
        if key in view and len(view[key]["text"]) > LIMITS["view_title"]:
            broken.append(f"view {key}")
    if len(view.get("private_metadata", "")) > LIMITS["private_metadata"]:
        broken.append("private_metadata")
    View(**view).to_dict()  # raises on anything slack_sdk finds invalid
    return broken
