"""Small Block Kit constructors that enforce Slack's length limits by truncating.

Callers pass text that is already safe (escaped user input, our own mrkdwn); these helpers only
make sure no field can exceed its limit, so a long title degrades into "…" instead of an
`invalid_blocks` error from Slack.
"""

from __future__ import annotations

from typing import Any, Final

from bot.blocks.text import truncate

Json = dict[str, Any]

SECTION_TEXT_MAX: Final = 3000
FIELD_TEXT_MAX: Final = 2000
HEADER_TEXT_MAX: Final = 150
BUTTON_TEXT_MAX: Final = 75
OPTION_TEXT_MAX: Final = 75
VIEW_TEXT_MAX: Final = 24  # modal title, submit, close
CONFIRM_TITLE_MAX: Final = 100
CONFIRM_TEXT_MAX: Final = 300
CONFIRM_BUTTON_MAX: Final = 30
PLACEHOLDER_MAX: Final = 150
VIEW_BLOCKS_MAX: Final = 100  # modals and App Home
MESSAGE_BLOCKS_MAX: Final = 50  # chat messages allow fewer blocks than views
ACTIONS_ELEMENTS_MAX: Final = 25


def plain(text: str, limit: int = SECTION_TEXT_MAX) -> Json:
    # Slack rejects empty text objects; a blank stays visible as a single space instead.
    return {"type": "plain_text", "text": truncate(text, limit) or " "}


def mrkdwn(text: str, limit: int = SECTION_TEXT_MAX) -> Json:
    # verbatim: a bare "@channel" or "#general" in user text is not auto-linked; our explicit
    # `<@U…>` and `<!date^…>` tokens still render.
    return {"type": "mrkdwn", "text": truncate(text, limit) or " ", "verbatim": True}


def header(text: str) -> Json:
    return {"type": "header", "text": plain(text, HEADER_TEXT_MAX)}


def section(text: str, *, accessory: Json | None = None, block_id: str | None = None) -> Json:
    block: Json = {"type": "section", "text": mrkdwn(text)}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id is not None:
        block["block_id"] = block_id
    return block


def fields_section(fields: list[str]) -> Json:
    return {"type": "section", "fields": [mrkdwn(f, FIELD_TEXT_MAX) for f in fields[:10]]}


def context(text: str) -> Json:
    return {"type": "context", "elements": [mrkdwn(text)]}


def divider() -> Json:
    return {"type": "divider"}


def actions(elements: list[Json], *, block_id: str | None = None) -> Json:
    block: Json = {"type": "actions", "elements": elements[:ACTIONS_ELEMENTS_MAX]}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def button(
    text: str,
    *,
    action_id: str,
    value: str,
    label: str,
    style: str | None = None,
    confirm: Json | None = None,
    url: str | None = None,
) -> Json:
    """A button; `label` is read by screen readers instead of the (often terse) text. With
    `url`, Slack opens it in the browser and still sends the click as block_actions."""
    element: Json = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT_MAX),
        "action_id": action_id,
        "value": value,
        "accessibility_label": truncate(label, BUTTON_TEXT_MAX),
    }
    if style is not None:
        element["style"] = style
    if confirm is not None:
        element["confirm"] = confirm
    if url is not None:
        element["url"] = url
    return element


def confirm_dialog(*, title: str, text: str, confirm: str, deny: str) -> Json:
    return {
        "title": plain(title, CONFIRM_TITLE_MAX),
        "text": plain(text, CONFIRM_TEXT_MAX),
        "confirm": plain(confirm, CONFIRM_BUTTON_MAX),
        "deny": plain(deny, CONFIRM_BUTTON_MAX),
        "style": "danger",
    }


def option(text: str, value: str) -> Json:
    return {"text": plain(text, OPTION_TEXT_MAX), "value": value}


def input_block(
    block_id: str,
    label: str,
    element: Json,
    *,
    optional: bool = False,
    hint: str | None = None,
) -> Json:
    block: Json = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    if hint is not None:
        block["hint"] = plain(hint, 2000)
    return block


def modal(
    *,
    callback_id: str,
    title: str,
    blocks: list[Json],
    submit: str | None = None,
    close: str = "Cancel",
    private_metadata: str = "",
) -> Json:
    """A modal view. private_metadata is ours (not user text), so too long is a bug: raise."""
    if len(private_metadata) > 3000:
        raise ValueError("private_metadata exceeds Slack's 3000 characters")
    view: Json = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, VIEW_TEXT_MAX),
        "close": plain(close, VIEW_TEXT_MAX),
        "blocks": blocks[:VIEW_BLOCKS_MAX],
    }
    if private_metadata:
        view["private_metadata"] = private_metadata
    if submit is not None:
        view["submit"] = plain(submit, VIEW_TEXT_MAX)
    return view


# Slack cuts a message's text at 40,000 characters; a notification shows far less.
_FALLBACK_MAX: Final = 3000


def message(text: str, blocks: list[Json]) -> Json:
    """`text` is the notification / screen-reader fallback for the blocks."""
    return {"text": truncate(text, _FALLBACK_MAX), "blocks": blocks[:MESSAGE_BLOCKS_MAX]}


def thread_note(text: str) -> Json:
    """A change note for the card's thread. `text` is mrkdwn we built (mentions, dates)."""
    return message(text, [section(text)])
