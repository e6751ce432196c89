"""The create-room modal, its loading/result companions, and the reader of its submission."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from bot.blocks import ids
from bot.blocks.inputs import pstn_block, roster_blocks, window_blocks
from bot.blocks.kit import Json, input_block, modal, plain, section
from bot.blocks.submission import (
    Errors,
    People,
    StateValues,
    element_state,
    read_people,
    read_pstn,
    read_window,
    roles_by_user,
)
from bot.blocks.text import escape, one_line, truncate

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from bot.services.domain import Role

TITLE_MAX: Final = 150


@dataclass(frozen=True)
class CreateDefaults:
    """What to pre-fill; the message shortcut fills title and people from the message."""

    title: str = ""
    start: datetime | None = None
    end: datetime | None = None
    people: Mapping[Role, Sequence[str]] = field(default_factory=dict)
    channel_id: str | None = None
    pstn: bool = False


@dataclass(frozen=True)
class CreateSubmission:
    title: str
    valid_from: datetime
    valid_until: datetime
    people: People
    channel_id: str | None
    pstn_dial_out_enabled: bool

    def roles_by_user(self) -> dict[str, Role]:
        return roles_by_user(self.people)


def create_room_modal(*, defaults: CreateDefaults, private_metadata: str) -> Json:
    blocks = [
        _title_block(defaults.title),
        *window_blocks(start=defaults.start, end=defaults.end),
        *roster_blocks(defaults.people),
        _channel_block(defaults.channel_id),
        pstn_block(defaults.pstn),
    ]
    return modal(
        callback_id=ids.ROOM_CREATE,
        title="Create a room",
        submit="Create",
        blocks=blocks,
        private_metadata=private_metadata,
    )


def _title_block(title: str) -> Json:
    element: Json = {
        "type": "plain_text_input",
        "action_id": ids.TITLE.action_id,
        "max_length": TITLE_MAX,
        "placeholder": plain("Weekly sync"),
    }
    # An input's initial value is the raw text the person edits, so it is not escaped.
    initial = truncate(one_line(title), TITLE_MAX)
    if initial:
        element["initial_value"] = initial
    return input_block(ids.TITLE.block_id, "Title", element)


def _channel_block(channel_id: str | None) -> Json:
    element: Json = {
        "type": "conversations_select",
        "action_id": ids.CHANNEL.action_id,
        "placeholder": plain("Choose a channel"),
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if channel_id:
        element["initial_conversation"] = channel_id
    else:
        element["default_to_current_conversation"] = True
    hint = "The room card and its reminders are posted there."
    return input_block(
        ids.CHANNEL.block_id, "Post the room card in", element, optional=True, hint=hint
    )


def loading_modal(title_text: str) -> Json:
    """Opened at once on the trigger (valid for 3 s), then replaced with views.update."""
    return modal(
        callback_id=ids.LOADING_VIEW,
        title=escape(title_text),
        close="Close",
        blocks=[section(":hourglass_flowing_sand: Loading…")],
    )


def result_modal(title: str, text: str) -> Json:
    """A done or error view. `text` is mrkdwn: escape any user input in it with text.escape."""
    return modal(
        callback_id=ids.RESULT_VIEW,
        title=escape(title),
        close="Done",
        blocks=[section(text)],
    )


def read_create_submission(
    state_values: StateValues, *, now: datetime
) -> CreateSubmission | Errors:
    """Typed values, or `{block_id: message}` for `response_action="errors"`."""
    title = one_line(element_state(state_values, ids.TITLE).get("value") or "")
    window = read_window(state_values, now=now)
    people, errors = read_people(state_values)
    errors |= _title_errors(title)
    if isinstance(window, dict) or errors:
        return errors | (window if isinstance(window, dict) else {})
    return CreateSubmission(
        title=title,
        valid_from=window.valid_from,
        valid_until=window.valid_until,
        people=people,
        channel_id=element_state(state_values, ids.CHANNEL).get("selected_conversation"),
        pstn_dial_out_enabled=read_pstn(state_values),
    )


def _title_errors(title: str) -> Errors:
    if not title:
        return {ids.TITLE.block_id: "Give the room a title."}
    if len(title) > TITLE_MAX:
        return {ids.TITLE.block_id: f"Keep the title within {TITLE_MAX} characters."}
    return {}
