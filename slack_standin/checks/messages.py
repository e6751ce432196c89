"""A message's content as Slack checks it: chat.postMessage, chat.update, chat.postEphemeral
and response_url bodies alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.checks.blocks import MESSAGE_BLOCKS_MAX, block_problems
from slack_standin.checks.reasons import problem
from slack_standin.messages import Message, content_of
from slack_standin.wire import ApiError

if TYPE_CHECKING:
    from collections.abc import Container, Mapping


def checked_content(args: Mapping[str, Any], known_calls: Container[str]) -> Message:
    """The visible part of a message, once its blocks and their text fallback pass.

    `known_calls`: the ids of the workspace's Calls, which call blocks may show.
    """
    blocks = args.get("blocks")
    if blocks is not None and blocks != "":
        _refuse_bad_blocks(blocks, known_calls)
        _refuse_missing_fallback(args, blocks)
    return content_of(args)


def _refuse_bad_blocks(blocks: Any, known_calls: Container[str]) -> None:
    reasons = block_problems(blocks, "/blocks", MESSAGE_BLOCKS_MAX, known_calls)
    if reasons:
        raise ApiError("invalid_blocks", messages=reasons)


def _refuse_missing_fallback(args: Mapping[str, Any], blocks: Any) -> None:
    # Real Slack only warns here (`missing_text` in response_metadata.warnings) and posts the
    # message; the stand-in refuses, by the project's choice, so a test catches a message that
    # would reach notifications and screen readers with no text.
    if blocks and not str(args.get("text") or "").strip():
        reason = "a message with blocks needs a text fallback beside them (missing_text)"
        raise ApiError("invalid_arguments", messages=[problem(reason, "/text")])
