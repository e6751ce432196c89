"""Pure readers of modal `view.state.values`, shared by the create and edit modals.

They turn what Slack submitted into typed values, or into `{block_id: message}` for
`ack(response_action="errors", errors=...)`. The service re-validates everything; this is only
so people see the problem next to the field while the modal is still open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from bot.blocks import ids
from bot.blocks.inputs import DURATIONS, USE_END_TIME
from bot.blocks.summary import ROLE_PLURALS
from bot.services.domain import Role
from bot.services.windows import MAX_LEAD, MAX_WINDOW

# The service's ACS limits, checked here too so the modal can point at the field at once.
MAX_START_AHEAD: Final = MAX_LEAD

StateValues = Mapping[str, Mapping[str, Mapping[str, Any]]]
Errors = dict[str, str]
People = dict[Role, tuple[str, ...]]


@dataclass(frozen=True)
class Window:
    valid_from: datetime
    valid_until: datetime


def element_state(values: StateValues, input_id: ids.InputId) -> Mapping[str, Any]:
    """One element's submitted state; {} when the block is absent (e.g. not in this modal)."""
    return values.get(input_id.block_id, {}).get(input_id.action_id) or {}


def read_datetime(values: StateValues, input_id: ids.InputId) -> datetime | None:
    seconds = element_state(values, input_id).get("selected_date_time")
    return None if seconds is None else datetime.fromtimestamp(int(seconds), UTC)


def read_duration(values: StateValues) -> timedelta | None:
    selected = element_state(values, ids.DURATION).get("selected_option") or {}
    key = selected.get("value", USE_END_TIME)
    return DURATIONS.get(key, DURATIONS[USE_END_TIME])[1]


def read_window(values: StateValues, *, now: datetime) -> Window | Errors:
    """Start (empty = now) and end (the end picker, or start + the chosen duration)."""
    start = read_datetime(values, ids.START) or now
    duration = read_duration(values)
    if duration is not None:
        return _checked(start, start + duration, end_block=ids.DURATION.block_id, now=now)
    end = read_datetime(values, ids.END)
    if end is None:
        return {ids.END.block_id: "Pick an end time, or choose how long the room stays open."}
    return _checked(start, end, end_block=ids.END.block_id, now=now)


def _checked(start: datetime, end: datetime, *, end_block: str, now: datetime) -> Window | Errors:
    errors = window_errors(start, end, end_block=end_block, now=now)
    return errors or Window(valid_from=start, valid_until=end)


def window_errors(start: datetime, end: datetime, *, end_block: str, now: datetime) -> Errors:
    """Each broken rule, on the block the person has to change (at most one per block)."""
    errors: Errors = {}
    if start - now > MAX_START_AHEAD:
        errors[ids.START.block_id] = "The start can be at most 180 days from now."
    if end <= start:
        errors[end_block] = "The end must be after the start."
    elif end <= now:
        errors[end_block] = "The end must be in the future."
    elif end - start > MAX_WINDOW:
        errors[end_block] = "A room can stay open for at most 180 days."
    return errors


def read_people(values: StateValues) -> tuple[People, Errors]:
    """Slack user ids per role; a person picked under two roles is an error on the second."""
    people: People = {}
    errors: Errors = {}
    first_role: dict[str, Role] = {}
    for role in Role:
        picked = tuple(element_state(values, ids.ROLE_PEOPLE[role]).get("selected_users") or ())
        clash = next((first_role[u] for u in picked if u in first_role), None)
        if clash is not None:
            errors[ids.ROLE_PEOPLE[role].block_id] = (
                f"Someone here is also among the {ROLE_PLURALS[clash]}: each person has one role."
            )
        for user in picked:
            first_role.setdefault(user, role)
        people[role] = picked
    return people, errors


def read_pstn(values: StateValues) -> bool:
    selected = element_state(values, ids.PSTN).get("selected_options") or ()
    return any(choice.get("value") == ids.PSTN_OPTION_VALUE for choice in selected)


def roles_by_user(people: Mapping[Role, tuple[str, ...]]) -> dict[str, Role]:
    """The roster as the service takes it: Slack user id -> role."""
    return {user: role for role, users in people.items() for user in users}
