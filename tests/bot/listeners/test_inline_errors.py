"""After a form is answered with inline errors, Slack keeps it open with the messages beside
its fields so the person can fix and resubmit: nothing may run after such an ack."""

from __future__ import annotations

import json
from typing import Any

from bot.blocks import ids
from bot.services.domain import RoomKey, Workspace
from tests.support.slack_stack import Stack

DEMO = Workspace("", "T0DEMO")


def since(stack: Stack, seen: int, method: str) -> list[str]:
    """The calls to `method` among those Slack received after the first `seen`."""
    return [c.method for c in stack.standin.calls()[seen:] if c.method == method]


def on_screen(stack: Stack) -> dict[str, Any]:
    return stack.standin.modal_stack("ana")[-1]


def test_a_create_form_with_the_end_before_the_start_keeps_its_inline_error(stack: Stack) -> None:
    stack.run("/room")
    form = on_screen(stack)
    tomorrow = int(stack.services.clock().timestamp()) + 86_400
    seen = len(stack.standin.calls())
    response = stack.session.slack.submit(
        user_id="U06ANA1001",
        view=form,
        trigger_id=stack.standin.new_trigger_id("ana"),
        values=_window_values(start=tomorrow, end=tomorrow - 3600, title="Backwards"),
    )
    stack.session.settle()
    answer = json.loads(response.body)
    assert answer == {
        "response_action": "errors",
        "errors": {ids.END.block_id: "The end must be after the start."},
    }
    assert since(stack, seen, "views.update") == []
    assert since(stack, seen, "chat.postMessage") == []
    assert on_screen(stack)["id"] == form["id"]


def test_an_edit_form_with_the_end_before_the_start_changes_nothing(stack: Stack) -> None:
    stack.run("/room create Retro for 1h")
    stack.press("Edit", 1)
    before = stack.services.rooms.get(DEMO, RoomKey(number=1))
    form = on_screen(stack)
    seen = len(stack.standin.calls())
    stack.submit('start="tomorrow 10:00" end="tomorrow 09:00"')
    assert since(stack, seen, "views.update") == []
    assert since(stack, seen, "chat.update") == []
    assert on_screen(stack)["id"] == form["id"]
    assert stack.services.rooms.get(DEMO, RoomKey(number=1)) == before


def test_an_invite_form_with_nobody_chosen_stays_open_with_its_error(stack: Stack) -> None:
    stack.run("/room create Retro for 1h")
    stack.press("Invite", 1)
    form = on_screen(stack)
    seen = len(stack.standin.calls())
    stack.submit("people=")
    assert since(stack, seen, "views.update") == []
    assert since(stack, seen, "chat.postMessage") == []
    assert on_screen(stack)["id"] == form["id"]


def _window_values(*, start: int, end: int, title: str) -> dict[str, object]:
    return {
        ids.TITLE.block_id: {ids.TITLE.action_id: {"type": "plain_text_input", "value": title}},
        ids.START.block_id: {
            ids.START.action_id: {"type": "datetimepicker", "selected_date_time": start}
        },
        ids.END.block_id: {
            ids.END.action_id: {"type": "datetimepicker", "selected_date_time": end}
        },
    }
