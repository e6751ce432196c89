from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.blocks import ids


def test_an_extend_value_carries_the_room_number_and_duration() -> None:
    assert ids.parse_extend_value(ids.extend_value(12, "1d")) == (12, timedelta(days=1), None)


def test_an_extend_value_carries_the_end_its_surface_showed() -> None:
    shown = datetime(2026, 12, 6, 18, 30, tzinfo=UTC)
    value = ids.extend_value(12, "1h", shown)
    assert ids.parse_extend_value(value) == (12, timedelta(hours=1), shown)


@pytest.mark.parametrize(
    "value",
    ["", "12", "12:2h", "x:1h", "-1:1h", "１２:1h", "12:1h:extra", "12:1h:-5", "12:1h:9" * 20],
)
def test_a_tampered_extend_value_is_refused(value: str) -> None:
    assert ids.parse_extend_value(value) is None


def test_a_room_value_carries_the_room_number() -> None:
    assert ids.parse_room_value(ids.room_value(7)) == 7


@pytest.mark.parametrize("value", ["", "abc", "1.5", "-3", "٣"])
def test_a_tampered_room_value_is_refused(value: str) -> None:
    assert ids.parse_room_value(value) is None


def test_every_extend_button_action_id_matches_the_extend_pattern() -> None:
    assert all(ids.ROOM_EXTEND_PATTERN.match(ids.extend_action_id(key)) for key in ids.EXTEND_BY)


def test_an_unknown_extend_key_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown extend key"):
        ids.extend_value(12, "2h")


def test_input_block_ids_are_distinct() -> None:
    inputs = [ids.TITLE, ids.START, ids.END, ids.DURATION, ids.CHANNEL, ids.PSTN]
    inputs += [*ids.ROLE_PEOPLE.values(), ids.INVITE_PEOPLE, ids.INVITE_ROLE]
    assert len({i.block_id for i in inputs}) == len(inputs)
