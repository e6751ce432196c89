from __future__ import annotations

from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from slack_standin import RunningStandin

if TYPE_CHECKING:
    from tests.slack_standin.conftest import ManualClock


def test_a_response_is_ephemeral_by_default(standin: RunningStandin) -> None:
    url = standin.new_response_url("C0DESIGN", "U06BEN1002")

    answer = WebhookClient(url).send(text="Only you can see this")

    assert (answer.status_code, answer.body) == (200, "ok")
    assert [e["text"] for e in standin.ephemerals("ben")] == ["Only you can see this"]
    assert standin.messages("design") == []


def test_an_in_channel_response_is_posted_to_the_channel(standin: RunningStandin) -> None:
    url = standin.new_response_url("C0GENERAL", "U06BEN1002")

    WebhookClient(url).send(text="Room created", response_type="in_channel")

    assert [m["text"] for m in standin.messages("general")] == ["Room created"]


def test_a_response_works_in_a_private_channel_the_bot_is_not_in(standin: RunningStandin) -> None:
    url = standin.new_response_url("C0LEADS", "U06EVE1005")

    WebhookClient(url).send(text="Room created", response_type="in_channel")

    assert [m["text"] for m in standin.messages("leadership")] == ["Room created"]


def test_replace_original_replaces_the_previous_ephemeral(standin: RunningStandin) -> None:
    webhook = WebhookClient(standin.new_response_url("C0DESIGN", "U06BEN1002"))
    webhook.send(text="Creating…")

    webhook.send(text="Created", replace_original=True)

    assert [e["text"] for e in standin.ephemerals("ben")] == ["Created"]


def test_replace_original_updates_the_message_a_button_was_on(
    slack: WebClient, standin: RunningStandin
) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", text="Room card")["ts"]
    webhook = WebhookClient(standin.new_response_url("C0DESIGN", "U06ANA1001", message_ts=ts))

    webhook.send(text="Room card (cancelled)", replace_original=True)

    [card] = standin.messages("design")
    assert (card["ts"], card["text"]) == (ts, "Room card (cancelled)")


def test_delete_original_removes_the_message(slack: WebClient, standin: RunningStandin) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", text="Room card")["ts"]
    webhook = WebhookClient(standin.new_response_url("C0DESIGN", "U06ANA1001", message_ts=ts))

    webhook.send_dict({"delete_original": True})

    assert standin.messages("design") == []


def test_a_response_url_takes_five_uses_and_no_more(standin: RunningStandin) -> None:
    webhook = WebhookClient(standin.new_response_url("C0DESIGN", "U06BEN1002"))
    statuses = [webhook.send(text=f"reply {i}").status_code for i in range(6)]

    assert statuses == [200] * 5 + [404]
    assert len(standin.ephemerals("ben")) == 5


def test_a_response_url_expires_after_thirty_minutes(
    standin: RunningStandin, clock: ManualClock
) -> None:
    webhook = WebhookClient(standin.new_response_url("C0DESIGN", "U06BEN1002"))
    clock.advance(30 * 60)

    answer = webhook.send(text="too late")

    assert (answer.status_code, answer.body) == (404, "expired_url")


def test_responses_are_recorded_as_response_url_calls(standin: RunningStandin) -> None:
    WebhookClient(standin.new_response_url("C0DESIGN", "U06BEN1002")).send(text="hi")

    call = standin.wait_for("response_url")

    assert call.args["text"] == "hi"
