"""Admins see the latest audit events at the bottom of their App Home; others do not."""

from __future__ import annotations

import json

from tests.support.slack_stack import Stack


def home_text(stack: Stack, user: str) -> str:
    stack.as_user(user)
    stack.session.handle(":home")
    home = stack.standin.home(user)
    assert home is not None
    return json.dumps(home["blocks"])


def test_an_admins_home_lists_the_latest_events(stack: Stack) -> None:
    stack.run("/room create Standup")
    stack.run("/room extend #1 by 1h")
    text = home_text(stack, "ana")
    assert "Latest audit events" in text
    assert text.index("room.extended") < text.index("room.created")


def test_someone_who_is_not_an_admin_has_no_audit_section(stack: Stack) -> None:
    stack.run("/room create Standup")
    text = home_text(stack, "ben")
    assert "audit" not in text.lower()
