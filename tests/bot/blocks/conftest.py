"""Fixtures for the Block Kit builders: rooms to render and checks against slack_sdk's models."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.services.domain import Member, Role, RoomDetails, RoomState, Workspace
from tests.support.block_kit import every_object

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)

MakeRoom = Callable[..., RoomDetails]


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def make_room() -> MakeRoom:
    """An open room (started an hour ago, ends in an hour) unless overridden."""

    def build(**overrides: Any) -> RoomDetails:
        fields: dict[str, Any] = {
            "workspace": Workspace(enterprise_id="", team_id="T0001"),
            "number": 12,
            "title": "Weekly sync",
            "acs_room_id": "99524377284615023",
            "organizer_id": "U0ORGANIZER",
            "channel_id": "C0CHANNEL",
            "card_ts": "1714564800.000100",
            "valid_from": NOW - timedelta(hours=1),
            "valid_until": NOW + timedelta(hours=1),
            "pstn_dial_out_enabled": False,
            "state": RoomState.ACTIVE,
            "members": (
                Member("U0ORGANIZER", "8:acs:r_org", Role.PRESENTER),
                Member("U0ALICE", "8:acs:r_alice", Role.ATTENDEE),
                Member("U0BOB", "8:acs:r_bob", Role.ATTENDEE),
            ),
        }
        fields.update(overrides)
        return RoomDetails(**fields)

    return build


def many_members(count: int) -> tuple[Member, ...]:
    roles = list(Role)
    return tuple(Member(f"U{i:09d}", f"8:acs:r_{i}", roles[i % len(roles)]) for i in range(count))


@pytest.fixture
def members() -> Callable[[int], tuple[Member, ...]]:
    return many_members


def _check_blocks(blocks: list[dict[str, Any]]) -> None:
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids)), "block_ids must be unique on a surface"
    for block in blocks:
        if block["type"] == "actions":
            action_ids = [e["action_id"] for e in block["elements"]]
            assert len(action_ids) == len(set(action_ids)), "action_ids repeat within a block"
        parsed = Block.parse(block)
        assert parsed is not None, f"unknown block {block}"
        # to_dict() runs every length validator, recursively; equality proves no key was dropped.
        assert parsed.to_dict() == block


@pytest.fixture
def assert_valid_message() -> Callable[[dict[str, Any]], None]:
    def check(message: dict[str, Any]) -> None:
        json.dumps(message)
        assert message["text"].strip()
        assert 0 < len(message["blocks"]) <= 50
        _check_blocks(message["blocks"])

    return check


@pytest.fixture
def assert_valid_view() -> Callable[[dict[str, Any]], None]:
    def check(view: dict[str, Any]) -> None:
        json.dumps(view)
        parsed = View(**view)
        assert parsed.to_dict() == view
        _check_blocks(view["blocks"])
        if any(b["type"] == "input" for b in view["blocks"]):
            assert "submit" in view, "a modal with inputs needs a submit button"

    return check


@pytest.fixture
def texts() -> Callable[[Any], list[str]]:
    """Every text a surface shows: text objects' text and message fallbacks."""

    def collect(surface: Any) -> list[str]:
        found = [surface["text"]] if isinstance(surface.get("text"), str) else []
        for node in every_object(surface):
            if node.get("type") in ("plain_text", "mrkdwn"):
                found.append(node["text"])
        return found

    return collect
