"""The edit and invite modals opened from a room's buttons, and the readers of their submissions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.blocks import ids
from bot.blocks.inputs import pstn_block, roster_blocks, window_blocks
from bot.blocks.kit import Json, context, input_block, modal, option, plain
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
from bot.blocks.summary import title_text
from bot.services.domain import Role, RoomDetails

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True)
class EditSubmission:
    """The room's new window, PSTN setting and full roster (people left out are removed)."""

    valid_from: datetime
    valid_until: datetime
    people: People
    pstn_dial_out_enabled: bool

    def roles_by_user(self) -> dict[str, Role]:
        return roles_by_user(self.people)


@dataclass(frozen=True)
class InviteSubmission:
    people: tuple[str, ...]
    role: Role


def room_metadata(number: int) -> str:
    # JSON so later fields (e.g. a nonce against double submits) can join without a new format.
    return json.dumps({"room": number})


def room_number_from_metadata(private_metadata: str) -> int | None:
    """The room a submitted edit/invite modal is about; None if the metadata is not ours."""
    try:
        number = json.loads(private_metadata).get("room")
    except (ValueError, AttributeError):
        return None
    return ids.is_room_number(number)


def edit_room_modal(room: RoomDetails) -> Json:
    people = {role: [m.slack_user_id for m in room.members_with(role)] for role in Role}
    blocks = [
        context(f"*#{room.number}* {title_text(room, 200)}"),
        *window_blocks(start=room.valid_from, end=room.valid_until),
        *roster_blocks(people),
        pstn_block(room.pstn_dial_out_enabled),
    ]
    return modal(
        callback_id=ids.ROOM_EDIT,
        title=f"Edit room #{room.number}",
        submit="Save",
        blocks=blocks,
        private_metadata=room_metadata(room.number),
    )


def read_edit_submission(state_values: StateValues, *, now: datetime) -> EditSubmission | Errors:
    """Typed values, or `{block_id: message}` for `response_action="errors"`."""
    window = read_window(state_values, now=now)
    people, errors = read_people(state_values)
    if isinstance(window, dict) or errors:
        return errors | (window if isinstance(window, dict) else {})
    return EditSubmission(
        valid_from=window.valid_from,
        valid_until=window.valid_until,
        people=people,
        pstn_dial_out_enabled=read_pstn(state_values),
    )


def invite_modal(room: RoomDetails) -> Json:
    people: Json = {
        "type": "multi_users_select",
        "action_id": ids.INVITE_PEOPLE.action_id,
        "placeholder": plain("Choose people"),
    }
    blocks = [
        context(f"*#{room.number}* {title_text(room, 200)}"),
        input_block(ids.INVITE_PEOPLE.block_id, "People", people),
        input_block(ids.INVITE_ROLE.block_id, "Role", _role_select()),
    ]
    return modal(
        callback_id=ids.ROOM_INVITE,
        title=f"Invite to room #{room.number}",
        submit="Invite",
        blocks=blocks,
        private_metadata=room_metadata(room.number),
    )


def _role_select() -> Json:
    options = {role: option(role.value, role.value) for role in Role}
    return {
        "type": "static_select",
        "action_id": ids.INVITE_ROLE.action_id,
        "options": list(options.values()),
        "initial_option": options[Role.ATTENDEE],
    }


def read_invite_submission(state_values: StateValues) -> InviteSubmission | Errors:
    picked = element_state(state_values, ids.INVITE_PEOPLE).get("selected_users") or ()
    selected = element_state(state_values, ids.INVITE_ROLE).get("selected_option") or {}
    role = Role.parse(selected.get("value", Role.ATTENDEE.value))
    errors: Errors = {}
    if not picked:
        errors[ids.INVITE_PEOPLE.block_id] = "Choose at least one person."
    if role is None:
        errors[ids.INVITE_ROLE.block_id] = "Choose a role."
    if errors or role is None:
        return errors
    return InviteSubmission(people=tuple(dict.fromkeys(picked)), role=role)
