"""Modal inputs shared by the create and edit modals: window, roster pickers, PSTN."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from bot.blocks import ids
from bot.blocks.kit import Json, input_block, option, plain
from bot.blocks.summary import ROLE_PLURALS
from bot.services.domain import Role

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

USE_END_TIME: Final = "end"
# Ordered as shown; None means "read the end time picker instead".
DURATIONS: Final[dict[str, tuple[str, timedelta | None]]] = {
    USE_END_TIME: ("Use the end time", None),
    "15m": ("15 minutes", timedelta(minutes=15)),
    "30m": ("30 minutes", timedelta(minutes=30)),
    "1h": ("1 hour", timedelta(hours=1)),
    "2h": ("2 hours", timedelta(hours=2)),
    "4h": ("4 hours", timedelta(hours=4)),
    "1d": ("1 day", timedelta(days=1)),
    "7d": ("7 days", timedelta(days=7)),
}
# Only the fact we are sure of: the roles' exact capabilities are ACS's to define and change.
_ROLE_HINTS: Final = {Role.ATTENDEE: "The default role for people you invite."}


def datetime_picker(action_id: str, initial: datetime | None) -> Json:
    element: Json = {"type": "datetimepicker", "action_id": action_id}
    if initial is not None:
        # The picker shows this instant in the viewer's own Slack time zone.
        element["initial_date_time"] = int(initial.timestamp())
    return element


def window_blocks(*, start: datetime | None, end: datetime | None) -> list[Json]:
    """Start, end and the duration alternative to the end."""
    return [
        input_block(
            ids.START.block_id,
            "Start",
            datetime_picker(ids.START.action_id, start),
            optional=True,
            hint="Leave empty to start now.",
        ),
        input_block(
            ids.END.block_id, "End", datetime_picker(ids.END.action_id, end), optional=True
        ),
        input_block(
            ids.DURATION.block_id,
            "Or open it for",
            duration_select(),
            hint="A duration counts from the start and replaces the end time.",
        ),
    ]


def duration_select() -> Json:
    options = [option(label, key) for key, (label, _) in DURATIONS.items()]
    return {
        "type": "static_select",
        "action_id": ids.DURATION.action_id,
        "options": options,
        "initial_option": options[0],
    }


def roster_blocks(people: Mapping[Role, Sequence[str]]) -> list[Json]:
    """One people picker per role: simpler than a role menu per person."""
    return [_role_picker(role, people.get(role, ())) for role in Role]


def _role_picker(role: Role, user_ids: Sequence[str]) -> Json:
    element: Json = {
        "type": "multi_users_select",
        "action_id": ids.ROLE_PEOPLE[role].action_id,
        "placeholder": plain(f"Add {ROLE_PLURALS[role].lower()}"),
    }
    if user_ids:
        element["initial_users"] = list(dict.fromkeys(user_ids))
    block_id = ids.ROLE_PEOPLE[role].block_id
    hint = _ROLE_HINTS.get(role)
    return input_block(block_id, ROLE_PLURALS[role], element, optional=True, hint=hint)


def pstn_block(enabled: bool) -> Json:
    choice = option("Allow PSTN dial-out", ids.PSTN_OPTION_VALUE)
    element: Json = {"type": "checkboxes", "action_id": ids.PSTN.action_id, "options": [choice]}
    if enabled:
        element["initial_options"] = [choice]
    return input_block(ids.PSTN.block_id, "Phone", element, optional=True)
