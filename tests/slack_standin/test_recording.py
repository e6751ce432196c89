from __future__ import annotations

import json
import threading

import pytest
from slack_sdk import WebClient

from slack_standin import RunningStandin, SlackCall

_BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]


def test_every_call_is_recorded_with_its_args_and_token(
    slack: WebClient, standin: RunningStandin
) -> None:
    slack.chat_postMessage(channel="C0DESIGN", text="hi")

    [call] = standin.calls("chat.postMessage")
    assert (call.args["channel"], call.args["text"], call.token) == (
        "C0DESIGN",
        "hi",
        standin.bot_token,
    )
    assert call.at == 1_700_000_000.0


def test_failed_calls_are_recorded_with_their_error(
    slack: WebClient, standin: RunningStandin
) -> None:
    with pytest.raises(Exception, match="channel_not_found"):
        slack.chat_postMessage(channel="C0NOPE", text="hi")

    assert standin.calls("chat.postMessage")[0].error == "channel_not_found"


def test_form_and_json_bodies_record_the_same_blocks(
    slack: WebClient, standin: RunningStandin
) -> None:
    slack.chat_postMessage(channel="C0DESIGN", text="json", blocks=_BLOCKS)
    form = {"channel": "C0DESIGN", "text": "form", "blocks": json.dumps(_BLOCKS)}
    slack.api_call("chat.postMessage", params=form)

    as_json, as_form = standin.calls("chat.postMessage")
    assert as_json.args["blocks"] == as_form.args["blocks"] == _BLOCKS


def test_a_recorded_call_never_shows_its_token(slack: WebClient, standin: RunningStandin) -> None:
    slack.auth_test()

    assert standin.bot_token not in repr(standin.calls()[0])


def test_wait_for_returns_a_call_made_from_another_thread(
    slack: WebClient, standin: RunningStandin
) -> None:
    worker = threading.Thread(
        target=lambda: slack.chat_postMessage(channel="C0DESIGN", text="late")
    )
    worker.start()

    call = standin.wait_for("chat.postMessage", lambda c: c.args["text"] == "late")

    worker.join()
    assert call.response["ok"] is True


def test_wait_for_times_out_listing_the_recent_calls(
    slack: WebClient, standin: RunningStandin
) -> None:
    slack.auth_test()

    with pytest.raises(AssertionError, match=r"(?s)no matching chat\.update.*auth\.test ok"):
        standin.wait_for("chat.update", timeout=0.05)


def test_subscribers_hear_each_call_as_it_happens(
    slack: WebClient, standin: RunningStandin
) -> None:
    heard: list[SlackCall] = []
    standin.subscribe(heard.append)

    slack.chat_postMessage(channel="C0DESIGN", text="hi")

    assert [c.method for c in heard] == ["chat.postMessage"]


def test_an_unsubscribed_listener_hears_nothing_more(
    slack: WebClient, standin: RunningStandin
) -> None:
    heard: list[SlackCall] = []
    unsubscribe = standin.subscribe(heard.append)
    unsubscribe()

    slack.auth_test()

    assert heard == []


def test_a_failing_subscriber_does_not_break_the_call(
    slack: WebClient, standin: RunningStandin
) -> None:
    def broken(call: SlackCall) -> None:
        raise RuntimeError("printer on fire")

    standin.subscribe(broken)

    assert slack.auth_test()["ok"] is True


def test_clear_forgets_calls_and_messages(slack: WebClient, standin: RunningStandin) -> None:
    slack.chat_postMessage(channel="C0DESIGN", text="hi")

    standin.clear()

    assert (standin.calls(), standin.messages("design")) == ([], [])
