"""The action words an admin may type, and the audit buttons' values."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.blocks.audit_value import MAX_PEOPLE, VALUE_MAX, decode, encode
from bot.services.audit.actions import actions_named
from bot.services.audit.events import AuditFilters, Cursor
from bot.services.domain import RoomKey
from bot.services.errors import InvalidInput
from tests.bot.audit.helpers import BEN, START


@pytest.mark.parametrize(
    ("word", "actions"),
    [
        ("delete", ("room.deleted",)),
        ("deleted", ("room.deleted",)),
        ("invite", ("participants.added",)),
        ("extended", ("room.extended",)),
        ("room.pstn_changed", ("room.pstn_changed",)),
        ("reminders", ("reminder.sent", "reminder.failed")),
        ("participants", ("participants.added", "participants.re_roled", "participants.removed")),
    ],
)
def test_an_action_word_names_its_actions(word: str, actions: tuple[str, ...]) -> None:
    assert actions_named(word) == actions


def test_an_unknown_action_word_is_refused() -> None:
    with pytest.raises(InvalidInput, match="launch"):
        actions_named("launch")


def test_a_value_gives_back_its_filters_and_cursor() -> None:
    filters = AuditFilters(RoomKey(number=12), (BEN,), START, "invite")
    assert decode(encode(filters, Cursor(older_than=40))) == (filters, Cursor(older_than=40))


def test_the_longest_filters_fit_in_a_button_value() -> None:
    people = tuple(f"W{n:020d}" for n in range(MAX_PEOPLE))
    filters = AuditFilters(RoomKey(number=10**9), people, START + timedelta(days=10**4), "x" * 40)
    assert len(encode(filters, Cursor(older_than=2**62, newer_than=2**62))) <= VALUE_MAX


@pytest.mark.parametrize(
    "value",
    [
        "not json",
        "[1]",
        '{"r": "12"}',
        '{"r": -1}',
        '{"p": ["<!channel>"]}',
        '{"a": "a b"}',
        '{"s": 1e400}',
        '{"o": true}',
        "{" * 3000,
    ],
)
def test_a_tampered_value_is_not_read(value: str) -> None:
    assert decode(value) is None
