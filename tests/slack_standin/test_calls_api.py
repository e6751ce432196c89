"""Slack's Calls API (calls.add … calls.end) and the call block, through slack_sdk's WebClient."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import CallBlock
from slack_sdk.webhook import WebhookClient

from slack_standin import RunningStandin, demo_workspace, start_slack_standin
from slack_standin.render import render_message
from tests.slack_standin.conftest import START, ManualClock

ANA, BEN, CHO = "U06ANA1001", "U06BEN1002", "U06CHO1003"
KIM = {"external_id": "8:acs:kim", "display_name": "Kim Possible"}
NAMES = demo_workspace().display_name


def _add(slack: WebClient, **extra: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "external_unique_id": "room-1:call-1",
        "join_url": "https://roombot.example.com/r/abc",
        "created_by": ANA,
        "title": "Design sync",
        **extra,
    }
    return dict(slack.calls_add(**args)["call"])


def _refusal(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as failure:
        call()
    return dict(failure.value.response.data)


def test_a_call_is_registered_and_read_back(slack: WebClient, standin: RunningStandin) -> None:
    call = _add(slack, external_display_id="ABC-123", users=[{"slack_id": ANA}])

    assert call["id"].startswith("R0")
    assert call["date_start"] == int(START)  # defaults to now
    assert slack.calls_info(id=call["id"])["call"] == call
    assert (call["title"], call["external_display_id"]) == ("Design sync", "ABC-123")
    assert call["users"] == [{"slack_id": ANA}]
    recorded = standin.slack_call_by_external_id("room-1:call-1")
    assert recorded is not None
    assert recorded.id == call["id"]


def test_participants_come_and_go_slack_and_external_alike(
    slack: WebClient, standin: RunningStandin
) -> None:
    call_id = _add(slack)["id"]

    slack.calls_participants_add(id=call_id, users=[{"slack_id": ANA}, {"slack_id": BEN}, KIM])
    slack.calls_participants_remove(id=call_id, users=[{"slack_id": BEN}])

    recorded = standin.slack_call(call_id)
    assert recorded is not None
    assert recorded.participant_ids == [ANA, "external:8:acs:kim"]
    assert slack.calls_info(id=call_id)["call"]["users"] == [{"slack_id": ANA}, KIM]


def test_adding_someone_already_in_the_call_is_ok_with_bad_users(slack: WebClient) -> None:
    call_id = _add(slack, users=[{"slack_id": ANA}])["id"]

    answer = slack.calls_participants_add(id=call_id, users=[{"slack_id": ANA}, KIM])

    assert (answer["ok"], answer["error"]) == (True, "bad_users")
    assert len(slack.calls_info(id=call_id)["call"]["users"]) == 2  # Kim still came in


def test_removing_someone_not_in_the_call_is_ok_with_bad_users(slack: WebClient) -> None:
    call_id = _add(slack, users=[{"slack_id": ANA}])["id"]

    answer = slack.calls_participants_remove(id=call_id, users=[{"slack_id": CHO}])

    assert (answer["ok"], answer["error"]) == (True, "bad_users")


def test_ending_records_the_duration_and_refuses_later_changes(
    slack: WebClient, standin: RunningStandin
) -> None:
    call_id = _add(slack, date_start=int(START) - 3600)["id"]

    assert slack.calls_end(id=call_id, duration=2700)["ok"]

    recorded = standin.slack_call(call_id)
    assert recorded is not None
    assert recorded.ended
    assert (recorded.duration, recorded.date_end) == (2700, int(START) - 3600 + 2700)
    again = slack.calls_end(id=call_id)
    assert (again["ok"], again["error"]) == (True, "inactive_call")
    late = _refusal(lambda: slack.calls_participants_add(id=call_id, users=[{"slack_id": BEN}]))
    assert late["error"] == "inactive_call"


def test_ending_without_a_duration_ends_now(
    slack: WebClient, standin: RunningStandin, clock: ManualClock
) -> None:
    call_id = _add(slack)["id"]
    clock.advance(600)

    slack.calls_end(id=call_id)

    assert slack.calls_info(id=call_id)["call"]["date_end"] == int(START) + 600


def test_update_changes_title_and_links(slack: WebClient) -> None:
    call_id = _add(slack)["id"]

    call = slack.calls_update(id=call_id, title="Renamed", join_url="https://x.example/j")["call"]

    assert (call["title"], call["join_url"]) == ("Renamed", "https://x.example/j")


def test_a_second_add_with_the_same_external_id_answers_the_first_call(
    slack: WebClient, standin: RunningStandin
) -> None:
    first = _add(slack)
    second = _add(slack, title="Another title")

    assert second == first
    assert len(standin.slack_calls()) == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"created_by": None}, "invalid_arguments"),  # required with a bot token
        ({"created_by": "U0NOBODY"}, "invalid_created_by"),
        ({"created_by": "U06OLD1006"}, "invalid_created_by"),  # deactivated
        ({"date_start": "soon"}, "invalid_start_time"),
        ({"users": [{"slack_id": "U0NOBODY"}]}, "user_not_found"),
        ({"users": [{"display_name": "No id"}]}, "invalid_arguments"),
        ({"join_url": None}, "invalid_arguments"),
    ],
)
def test_calls_add_refusals(slack: WebClient, change: dict[str, Any], error: str) -> None:
    args = {
        "external_unique_id": "e-1",
        "join_url": "https://j.example",
        "created_by": ANA,
        **change,
    }
    args = {k: v for k, v in args.items() if v is not None}

    assert _refusal(lambda: slack.api_call("calls.add", json=args))["error"] == error


def test_users_that_are_not_a_json_array_are_refused(slack: WebClient) -> None:
    call_id = _add(slack)["id"]

    refusal = _refusal(
        lambda: slack.api_call("calls.participants.add", data={"id": call_id, "users": "[{"})
    )

    assert refusal["error"] == "invalid_arguments"
    assert refusal["response_metadata"]["messages"] == [
        "[ERROR] users must be a non-empty JSON array of user objects [json-pointer:/users]"
    ]


@pytest.mark.parametrize(
    "method", ["calls.info", "calls.update", "calls.end", "calls.participants.add"]
)
def test_an_unknown_call_id_is_invalid_call_id(slack: WebClient, method: str) -> None:
    args = {"id": "R0NOTACALL", "users": [{"slack_id": ANA}]}

    assert _refusal(lambda: slack.api_call(method, json=args))["error"] == "invalid_call_id"


def test_a_workspace_without_the_calls_scopes_refuses_them(clock: ManualClock) -> None:
    workspace = demo_workspace().withhold_scopes("calls:write", "calls:read")
    with start_slack_standin(workspace, clock=clock) as standin:
        slack = WebClient(token=standin.bot_token, base_url=standin.base_url)

        refusal = _refusal(lambda: _add(slack))
        info = _refusal(lambda: slack.calls_info(id="R0NOTACALL"))

    assert (refusal["error"], refusal["needed"]) == ("missing_scope", "calls:write")
    assert "calls:write" not in refusal["provided"].split(",")
    assert (info["error"], info["needed"]) == ("missing_scope", "calls:read")


def test_a_call_block_of_a_registered_call_is_posted_and_shown_live(
    slack: WebClient, standin: RunningStandin
) -> None:
    call_id = _add(slack, users=[{"slack_id": ANA}])["id"]
    block = CallBlock(call_id=call_id).to_dict()

    posted = slack.chat_postMessage(channel="C0DESIGN", text="Call started", blocks=[block])
    slack.calls_participants_add(id=call_id, users=[KIM])

    message = standin.messages("design")[-1]
    assert posted["message"]["blocks"][0]["call"]["v1"]["id"] == call_id
    assert message["blocks"][0]["call"]["v1"]["users"] == [{"slack_id": ANA}, KIM]
    assert render_message(message, names=NAMES) == (
        "📞 Design sync — 2 in the call: @ana, Kim Possible"
        " · Join: https://roombot.example.com/r/abc"
    )


def test_an_ended_call_renders_its_length(slack: WebClient, standin: RunningStandin) -> None:
    call_id = _add(slack)["id"]
    slack.chat_postMessage(
        channel="C0DESIGN", text="Call", blocks=[{"type": "call", "call_id": call_id}]
    )

    slack.calls_end(id=call_id, duration=45 * 60)

    shown = render_message(standin.messages("design")[-1], names=NAMES)
    assert shown == "📞 Design sync — Call ended, 45 min"


def test_a_call_block_without_its_call_renders_its_id() -> None:
    message = {"blocks": [{"type": "call", "call_id": "R0X"}]}

    assert render_message(message) == "📞 Call R0X"


@pytest.mark.parametrize("method", ["chat.postMessage", "chat.update", "chat.postEphemeral"])
def test_a_call_block_of_an_unknown_call_is_refused(slack: WebClient, method: str) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", text="card")["ts"]
    args = {"channel": "C0DESIGN", "ts": ts, "user": ANA, "text": "Call"}
    args["blocks"] = [{"type": "call", "call_id": "R0NOTACALL"}]

    refusal = _refusal(lambda: slack.api_call(method, json=args))

    assert refusal["error"] == "invalid_blocks"
    assert refusal["response_metadata"]["messages"] == [
        "[ERROR] unknown call_id 'R0NOTACALL': no Call with this id was registered (calls.add)"
        " [json-pointer:/blocks/0/call_id]"
    ]


def test_a_call_block_without_a_call_id_is_refused(slack: WebClient) -> None:
    refusal = _refusal(
        lambda: slack.chat_postMessage(channel="C0DESIGN", text="x", blocks=[{"type": "call"}])
    )

    assert refusal["error"] == "invalid_blocks"
    assert "missing required field: call_id" in refusal["response_metadata"]["messages"][0]


def test_a_call_block_in_an_update_and_an_ephemeral_is_accepted(
    slack: WebClient, standin: RunningStandin
) -> None:
    call_id = _add(slack)["id"]
    blocks = [{"type": "call", "call_id": call_id}]
    ts = slack.chat_postMessage(channel="C0DESIGN", text="card")["ts"]

    updated = slack.chat_update(channel="C0DESIGN", ts=ts, text="Call", blocks=blocks)
    slack.chat_postEphemeral(channel="C0DESIGN", user=ANA, text="Call", blocks=blocks)

    assert updated["message"]["blocks"][0]["call"]["v1"]["id"] == call_id
    assert standin.ephemerals("ana")[-1]["blocks"][0]["call"]["v1"]["id"] == call_id


def test_a_slash_command_can_show_the_call_in_channel_through_its_response_url(
    slack: WebClient, standin: RunningStandin
) -> None:
    call_id = _add(slack)["id"]
    url = standin.new_response_url("design", "ana")

    answer = WebhookClient(url).send(
        text="Call", response_type="in_channel", blocks=[{"type": "call", "call_id": call_id}]
    )

    assert answer.status_code == 200
    assert standin.messages("design")[-1]["blocks"][0]["call"]["v1"]["id"] == call_id
