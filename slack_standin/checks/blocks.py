"""Block Kit as Slack checks it: slack_sdk's own models first, then the limits they leave out.

slack_sdk's `validate_json()` checks one object's own fields only; nested objects (buttons,
text objects, options, confirm dialogs) are checked only when `to_dict()` recurses into them.
So the parsed tree is walked here and `validate_json()` is called on every object in it, which
also gives each reason its JSON pointer. What the models do not check at all (unknown element
types, more than 50 blocks in a message, long section fields, duplicate ids, markdown where
Slack wants plain text) is checked on the JSON as sent.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from typing import Any, Final

from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OptionGroup,
)

from slack_standin.checks.reasons import model_problem, problem, unreadable

MESSAGE_BLOCKS_MAX: Final = 50  # views allow 100, which slack_sdk's View model checks
FIELD_TEXT_MAX: Final = 2000  # each section field; slack_sdk counts the fields only
# Text Slack renders as plain text only; slack_sdk reads a mrkdwn object there without a word.
_PLAIN_TEXT_ONLY: Final = (
    (HeaderBlock, "text"),
    (ButtonElement, "text"),
    (InputBlock, "label"),
    (InputBlock, "hint"),
)


def block_problems(
    blocks: Any,
    pointer: str,
    max_blocks: int | None = None,
    known_calls: Container[str] | None = None,
) -> list[str]:
    """Every reason Slack would refuse `blocks` (an empty list when it would take them).

    `known_calls`: in a message, the ids of the Calls the workspace registered (calls.add);
    a call block must show one of them.
    """
    if not isinstance(blocks, list):
        return [problem("must be an array", pointer)]
    found = []
    if max_blocks is not None and len(blocks) > max_blocks:
        found.append(problem(f"no more than {max_blocks} items allowed", pointer))
    for index, block in enumerate(blocks):
        found += _block_problems(block, f"{pointer}/{index}")
        if known_calls is not None:
            found += _call_problems(block, f"{pointer}/{index}", known_calls)
    return found + _duplicate_ids(blocks, "block_id", pointer)


def _block_problems(raw: Any, pointer: str) -> list[str]:
    if not isinstance(raw, Mapping):
        return [problem("must be an object", pointer)]
    try:
        parsed = Block.parse(dict(raw))
    except Exception as exc:  # slack_sdk's constructors raise TypeError, KeyError, … on bad input
        return [unreadable(exc, pointer)]
    if parsed is None:
        return [problem(f"unknown block type {raw.get('type')!r}", pointer)]
    found = _model_problems(parsed, raw, pointer)
    found += _field_problems(raw, pointer)
    return found + _duplicate_ids(raw.get("elements"), "action_id", f"{pointer}/elements")


def _model_problems(model: JsonObject, raw: Mapping[str, Any], pointer: str) -> list[str]:
    """slack_sdk's validators on `model`, then on every object nested in it."""
    found = _own_problems(model, raw, pointer) + _plain_text_problems(model, pointer)
    for name in sorted(model.attributes):
        found += _child_problems(name, getattr(model, name, None), raw.get(name), pointer)
    if isinstance(model, OptionGroup):  # its `attributes` is empty, yet it holds options
        found += _child_problems("options", model.options, raw.get("options"), pointer)
    return found


def _own_problems(model: JsonObject, raw: Mapping[str, Any], pointer: str) -> list[str]:
    try:
        model.validate_json()
    except Exception as exc:  # SlackObjectFormationError; a validator may trip on a None too
        return [model_problem(exc, raw, pointer)]
    return []


def _plain_text_problems(model: JsonObject, pointer: str) -> list[str]:
    return [
        problem("must be a plain_text text object", f"{pointer}/{name}")
        for kind, name in _PLAIN_TEXT_ONLY
        if isinstance(model, kind) and isinstance(getattr(model, name, None), MarkdownTextObject)
    ]


def _child_problems(name: str, value: Any, raw: Any, parent: str) -> list[str]:
    pointer = f"{parent}/{name}"
    try:
        value = _as_models(name, value)
    except Exception as exc:  # an option without a value, say
        return [unreadable(exc, pointer)]
    return _value_problems(value, raw, pointer)


def _value_problems(value: Any, raw: Any, pointer: str) -> list[str]:
    if isinstance(value, JsonObject):
        return _model_problems(value, raw if isinstance(raw, Mapping) else {}, pointer)
    if isinstance(value, list | tuple):
        raws = raw if isinstance(raw, list) and len(raw) == len(value) else [None] * len(value)
        return [
            reason
            for index, (item, raw_item) in enumerate(zip(value, raws, strict=True))
            for reason in _value_problems(item, raw_item, f"{pointer}/{index}")
        ]
    if value is None and isinstance(raw, Mapping) and "type" in raw:
        # slack_sdk parses an element type it does not know to None and logs a warning.
        return [problem(f"unknown element type {raw['type']!r}", pointer)]
    return []


def _as_models(name: str, value: Any) -> Any:
    """slack_sdk keeps the options of static selects, overflows and radio buttons as plain
    dicts; as its Option models they get its Option checks (text ≤ 75, value ≤ 150).
    """
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        return value
    if name == "options":
        return Option.parse_all(value)
    if name == "option_groups":
        return OptionGroup.parse_all(value)
    return value


def _field_problems(raw: Mapping[str, Any], pointer: str) -> list[str]:
    fields = raw.get("fields")
    if raw.get("type") != "section" or not isinstance(fields, list):
        return []
    return [
        problem(f"must be no more than {FIELD_TEXT_MAX} characters", f"{pointer}/fields/{i}/text")
        for i, field in enumerate(fields)
        if isinstance(field, Mapping) and len(str(field.get("text", ""))) > FIELD_TEXT_MAX
    ]


def _call_problems(raw: Any, pointer: str, known_calls: Container[str]) -> list[str]:
    """A call block shows a Call by its id: one calls.add answered in this workspace.

    (A missing call_id is already slack_sdk's CallBlock's complaint.)
    """
    if not isinstance(raw, Mapping) or raw.get("type") != "call" or "call_id" not in raw:
        return []
    call_id = raw["call_id"]
    if isinstance(call_id, str) and call_id in known_calls:
        return []
    reason = f"unknown call_id {call_id!r}: no Call with this id was registered (calls.add)"
    return [problem(reason, f"{pointer}/call_id")]


def _duplicate_ids(items: Any, key: str, pointer: str) -> list[str]:
    """block_id is unique within a message or view; action_id within its block."""
    seen: set[str] = set()
    found = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, Mapping) or item.get(key) is None:
            continue
        value = str(item[key])
        if value in seen:
            found.append(problem(f"duplicate {key} {value!r}", f"{pointer}/{index}/{key}"))
        seen.add(value)
    return found
