from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from slack_standin import RunningStandin


def test_a_rate_limit_surfaces_as_429_with_retry_after(
    slack: WebClient, standin: RunningStandin
) -> None:
    standin.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as failure:
        slack.chat_postMessage(channel="C0DESIGN", text="hi")

    assert failure.value.response.status_code == 429
    assert failure.value.response.headers["Retry-After"] == "7"
    assert failure.value.response["error"] == "ratelimited"


def test_a_fault_is_spent_after_its_calls(slack: WebClient, standin: RunningStandin) -> None:
    standin.fail_next("chat.postMessage", "not_in_channel")
    with pytest.raises(SlackApiError):
        slack.chat_postMessage(channel="C0DESIGN", text="hi")

    assert slack.chat_postMessage(channel="C0DESIGN", text="hi")["ok"] is True


def test_a_fault_can_repeat(slack: WebClient, standin: RunningStandin) -> None:
    standin.fail_next("users.info", "fatal_error", status=500, times=2)
    errors = []
    for _ in range(2):
        with pytest.raises(SlackApiError) as failure:
            slack.users_info(user="U06ANA1001")
        errors.append(failure.value.response.status_code)

    assert errors == [500, 500]
    assert slack.users_info(user="U06ANA1001")["ok"] is True


def test_a_faulted_call_changes_nothing(slack: WebClient, standin: RunningStandin) -> None:
    standin.fail_next("chat.postMessage", "not_in_channel")

    with pytest.raises(SlackApiError):
        slack.chat_postMessage(channel="C0DESIGN", text="hi")

    assert standin.messages("design") == []


def test_a_fault_can_make_views_open_see_an_expired_trigger(
    slack: WebClient, standin: RunningStandin
) -> None:
    standin.fail_next("views.open", "expired_trigger_id")
    view = {"type": "modal", "title": {"type": "plain_text", "text": "x"}, "blocks": []}

    with pytest.raises(SlackApiError) as failure:
        slack.views_open(trigger_id=standin.new_trigger_id(), view=view)

    assert failure.value.response["error"] == "expired_trigger_id"


def test_a_response_url_can_fail_too(standin: RunningStandin) -> None:
    standin.fail_next("response_url", "internal_error", status=500)

    answer = WebhookClient(standin.new_response_url("C0DESIGN", "U06BEN1002")).send(text="hi")

    assert answer.status_code == 500
    assert standin.ephemerals("ben") == []
