"""Oversized `/room` input is refused in the ack with a clear limit: no ACS call, nothing stored."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select

from bot.grammar.parser import MAX_PEOPLE, MAX_TEXT
from storage.models import AuditEventRow, RoomRow
from tests.support.slack_stack import Stack

FORTY_KB = "create Standup " + "x" * 40_000
FIVE_HUNDRED_MENTIONS = "create Allhands " + " ".join(f"<@U{n:09d}>" for n in range(500))


def stored(engine: Engine) -> tuple[int, int]:
    """How many rooms and audit records the store holds."""
    with engine.connect() as connection:
        rooms = connection.execute(select(func.count()).select_from(RoomRow)).scalar_one()
        audits = connection.execute(select(func.count()).select_from(AuditEventRow)).scalar_one()
    return rooms, audits


def ack_text(response: object) -> str:
    body = json.loads(str(getattr(response, "body", "")) or "{}")
    assert body.get("response_type", "ephemeral") == "ephemeral"
    return str(body.get("text", ""))


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        (FORTY_KB, f"That's too long: at most {MAX_TEXT:,} characters."),
        (FIVE_HUNDRED_MENTIONS, f"That's too many people: at most {MAX_PEOPLE} at once."),
        (FIVE_HUNDRED_MENTIONS + " " + "y" * 40_000, "That's too many people"),
    ],
    ids=["40 kB of text", "500 mentions", "500 mentions in 80 kB"],
)
def test_oversized_input_gets_a_clear_limit_message_in_the_ack(
    stack: Stack, engine: Engine, text: str, limit: str
) -> None:
    acs_before = stack.emulator.request_count()
    response = stack.run(f"/room {text}")
    assert response.status == 200
    assert limit in ack_text(response)
    assert stack.emulator.request_count() == acs_before
    assert stored(engine) == (0, 0)
    assert [c.method for c in stack.standin.calls() if c.method != "auth.test"] == []


def test_fifty_invitees_in_one_command_are_accepted(stack: Stack) -> None:
    # Benchmarks create rooms with 50 invitees: the per-command cap must let them through.
    mentions = " ".join(f"<@U{n:09d}>" for n in range(50))
    response = stack.run(f"/room create Crowd {mentions}")
    assert response.status == 200
    assert "too many" not in ack_text(response)
    assert not [reply for reply in stack.replies() if "too many" in reply]


def test_a_hundred_and_one_people_are_refused_even_when_the_text_is_short(stack: Stack) -> None:
    mentions = " ".join(f"<#C{n}>" for n in range(101))
    response = stack.run(f"/room invite #1 {mentions}")
    assert "too many people" in ack_text(response)
