"""A message with blocks needs a `text` fallback beside them.

Real Slack posts such a message and only warns (`missing_text`); the stand-in refuses it with
`invalid_arguments`, by the project's choice, so a test catches the message that would reach
notifications and screen readers with nothing to say. slack_sdk's chat_* methods warn about
the same thing (an error under this suite's warning filter), so these tests go through
`api_call`.
"""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "Room #12"}}]


def _refusal(slack: WebClient, method: str, args: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as failure:
        slack.api_call(method, json=args)
    return dict(failure.value.response.data)


def test_a_message_with_blocks_but_no_text_is_refused_with_invalid_arguments(
    slack: WebClient,
) -> None:
    refusal = _refusal(slack, "chat.postMessage", {"channel": "C0DESIGN", "blocks": BLOCKS})

    assert refusal["error"] == "invalid_arguments"
    assert "[json-pointer:/text]" in refusal["response_metadata"]["messages"][0]


def test_a_blank_text_is_no_fallback(slack: WebClient) -> None:
    args = {"channel": "C0DESIGN", "text": "  ", "blocks": BLOCKS}

    assert _refusal(slack, "chat.postMessage", args)["error"] == "invalid_arguments"


def test_chat_update_with_blocks_but_no_text_is_refused(
    slack: WebClient, standin: RunningStandin
) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", text="v1")["ts"]

    refusal = _refusal(slack, "chat.update", {"channel": "C0DESIGN", "ts": ts, "blocks": BLOCKS})

    assert refusal["error"] == "invalid_arguments"
    assert standin.messages("design")[0]["text"] == "v1"


def test_chat_post_ephemeral_with_blocks_but_no_text_is_refused(slack: WebClient) -> None:
    args = {"channel": "C0DESIGN", "user": "U06BEN1002", "blocks": BLOCKS}

    assert _refusal(slack, "chat.postEphemeral", args)["error"] == "invalid_arguments"
