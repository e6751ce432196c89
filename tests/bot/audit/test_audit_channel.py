"""With ROOMBOT_AUDIT_CHANNEL set, every recorded event is also one message in that channel."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot.services.attempts import Action
from bot.services.audit.actions import AuditAction
from tests.bot.audit.helpers import AUDIT_CHANNEL, BEN, DEMO, stored
from tests.support.slack_stack import Stack

POSTING = pytest.mark.parametrize("audit_settings", [{"roombot_audit_channel": AUDIT_CHANNEL}])


def posted(stack: Stack) -> list[str]:
    return [str(m.get("text", "")) for m in stack.channel_messages(AUDIT_CHANNEL)]


@POSTING
def test_each_event_is_posted_once_in_the_order_it_was_recorded(
    stack: Stack, engine: Engine
) -> None:
    stack.run(f"/room create Standup <@{BEN}>")
    stack.run("/room extend #1 by 1h")
    actions = [event.action for event in stored(engine)]
    assert len(posted(stack)) == len(actions) == 4
    for text, action in zip(posted(stack), actions, strict=True):
        assert f"`{action}`" in text


@POSTING
def test_a_denied_attempt_is_posted_with_its_reason(stack: Stack) -> None:
    stack.run("/room create Standup")
    stack.run("/room pstn #1 on", user="ben")
    assert "denied: Only the organizer" in posted(stack)[-1]


@POSTING
def test_events_recorded_by_other_parts_are_posted_too(stack: Stack) -> None:
    assert stack.services.audit is not None
    stack.services.audit.record(DEMO, action=AuditAction.REMINDER_FAILED, room_number=3)
    stack.session.settle()
    messages = posted(stack)
    assert len(messages) == 1
    assert "RoomBot · `reminder.failed` · #3" in messages[0]


@pytest.mark.parametrize("audit_settings", [{"roombot_audit_channel": "C0LEADS"}])
def test_a_channel_roombot_cannot_post_in_does_not_stop_room_operations(
    stack: Stack, engine: Engine
) -> None:
    stack.run("/room create Standup")
    assert "Room #1 is ready" in stack.last_reply()
    assert [e.action for e in stored(engine)][-1] == Action.ROOM_CREATED
    assert stack.channel_messages("C0LEADS") == []


def test_without_the_setting_nothing_is_posted(stack: Stack) -> None:
    stack.run("/room create Standup")
    assert stack.channel_messages(AUDIT_CHANNEL) == []
