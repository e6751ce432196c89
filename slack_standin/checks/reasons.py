"""Reasons worded as Slack words them in `response_metadata.messages`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

# How Python says a slack_sdk model was built without one of its required fields.
_MISSING_ARGUMENTS = re.compile(r"missing \d+ required (?:keyword-only |positional )?arguments?")


def problem(reason: str, pointer: str | None = None) -> str:
    """`[ERROR] <reason> [json-pointer:/blocks/0/text]`, Slack's form for one refusal reason."""
    where = f" [json-pointer:{pointer}]" if pointer else ""
    return f"[ERROR] {reason}{where}"


def model_problem(exc: Exception, raw: Mapping[str, Any], pointer: str) -> str:
    """A slack_sdk validator's reason; its first word is often the field it is about
    ("text attribute cannot exceed 75 characters"), which then ends the pointer.
    """
    field = str(exc).split(" ", 1)[0]
    return problem(str(exc), f"{pointer}/{field}" if field in raw else pointer)


def unreadable(exc: Exception, pointer: str) -> str:
    """Why slack_sdk could not even build its model, in Slack's words where they are known."""
    if _MISSING_ARGUMENTS.search(str(exc)):
        names = re.findall(r"'(\w+)'", str(exc).split(":", 1)[-1])
        return problem(f"missing required field: {' and '.join(names)}", pointer)
    if isinstance(exc, KeyError):  # a text object without its `type`
        return problem(f"missing required field: {exc.args[0]}", pointer)
    return problem(f"cannot be read: {exc}", pointer)
