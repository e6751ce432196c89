"""The whole app offline (tests/support/slack_stack.py), as the listener tests use it."""

from __future__ import annotations

from tests.bot.listeners.conftest import emulator, stack

__all__ = ["emulator", "stack"]  # `standin` comes from tests/conftest.py
