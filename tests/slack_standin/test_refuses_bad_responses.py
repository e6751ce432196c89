"""response_url bodies get the checks chat.postMessage gets; a refusal is a plain-text 400,
and the call log keeps Slack's reason for it.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from slack_standin import RunningStandin

BAD_BLOCKS = [{"type": "section"}]  # neither text nor fields
GOOD_BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "Room #12"}}]


def _webhook(standin: RunningStandin, message_ts: str | None = None) -> WebhookClient:
    url = standin.new_response_url("C0DESIGN", "U06BEN1002", message_ts=message_ts)
    return WebhookClient(url)


def test_a_response_with_bad_blocks_is_refused_with_a_400_invalid_blocks(
    standin: RunningStandin,
) -> None:
    answer = _webhook(standin).send(text="fallback", blocks=BAD_BLOCKS)

    assert (answer.status_code, answer.body) == (400, "invalid_blocks")
    assert standin.ephemerals("ben") == []


def test_a_refused_response_is_recorded_with_its_reason(standin: RunningStandin) -> None:
    _webhook(standin).send(text="fallback", blocks=BAD_BLOCKS)

    call = standin.wait_for("response_url")

    assert (call.error, call.reasons) == (
        "invalid_blocks",
        ["[ERROR] text or fields attribute must be specified [json-pointer:/blocks/0]"],
    )


def test_a_response_with_blocks_but_no_text_is_refused(standin: RunningStandin) -> None:
    answer = _webhook(standin).send(blocks=GOOD_BLOCKS)

    assert (answer.status_code, answer.body) == (400, "invalid_arguments")


def test_a_refused_replacement_leaves_the_original_as_it_was(
    slack: WebClient, standin: RunningStandin
) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", text="Room card")["ts"]

    _webhook(standin, ts).send(text="v2", blocks=BAD_BLOCKS, replace_original=True)

    assert standin.messages("design")[0]["text"] == "Room card"
