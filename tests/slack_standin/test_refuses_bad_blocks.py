"""Messages with Block Kit that Slack refuses are refused with `invalid_blocks` and a reason."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin

Json = dict[str, Any]


def _plain(text: str) -> Json:
    return {"type": "plain_text", "text": text}


def _section(text: str = "hi", **extra: Any) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def _button(action_id: str = "go", text: str = "Go") -> Json:
    return {"type": "button", "text": _plain(text), "action_id": action_id}


def _select(options: list[Json]) -> Json:
    select = {"type": "static_select", "action_id": "pick", "placeholder": _plain("Pick")}
    return {"type": "actions", "elements": [{**select, "options": options}]}


def _option(text: str = "One", value: str = "1") -> Json:
    return {"text": _plain(text), "value": value}


def _refusal(slack: WebClient, blocks: list[Json]) -> Json:
    with pytest.raises(SlackApiError) as failure:
        slack.chat_postMessage(channel="C0DESIGN", text="fallback", blocks=blocks)
    return dict(failure.value.response.data)


def _reasons(slack: WebClient, blocks: list[Json]) -> list[str]:
    refusal = _refusal(slack, blocks)
    assert refusal["error"] == "invalid_blocks"
    return list(refusal["response_metadata"]["messages"])


def test_an_unknown_block_type_is_refused_with_invalid_blocks(slack: WebClient) -> None:
    assert _refusal(slack, [{"type": "carousel_of_doom"}])["error"] == "invalid_blocks"


def test_a_refused_message_is_not_posted(slack: WebClient, standin: RunningStandin) -> None:
    _refusal(slack, [{"type": "carousel_of_doom"}])

    assert standin.messages("design") == []


def test_the_reason_points_at_the_offending_field(slack: WebClient) -> None:
    reasons = _reasons(slack, [{"type": "divider"}, _section("x" * 3001)])

    assert reasons == [
        "[ERROR] text attribute cannot exceed 3000 characters [json-pointer:/blocks/1/text]"
    ]


def test_an_unknown_element_type_is_refused(slack: WebClient) -> None:
    [reason] = _reasons(slack, [{"type": "actions", "elements": [{"type": "slider"}]}])

    assert "unknown element type 'slider' [json-pointer:/blocks/0/elements/0]" in reason


def test_a_block_without_a_required_field_is_refused(slack: WebClient) -> None:
    assert _reasons(slack, [{"type": "actions"}]) == [
        "[ERROR] missing required field: elements [json-pointer:/blocks/0]"
    ]


def test_more_than_fifty_blocks_in_a_message_are_refused(slack: WebClient) -> None:
    assert _reasons(slack, [{"type": "divider"}] * 51) == [
        "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
    ]


def test_fifty_blocks_in_a_message_are_taken(slack: WebClient) -> None:
    blocks = [{"type": "divider"}] * 50

    assert slack.chat_postMessage(channel="C0DESIGN", text="fallback", blocks=blocks)["ok"]


def test_header_text_over_150_characters_is_refused(slack: WebClient) -> None:
    [reason] = _reasons(slack, [{"type": "header", "text": _plain("x" * 151)}])

    assert "cannot exceed 150 characters" in reason


def test_a_markdown_header_is_refused(slack: WebClient) -> None:
    header = {"type": "header", "text": {"type": "mrkdwn", "text": "*Room*"}}

    assert _reasons(slack, [header]) == [
        "[ERROR] must be a plain_text text object [json-pointer:/blocks/0/text]"
    ]


def test_button_text_over_75_characters_is_refused(slack: WebClient) -> None:
    [reason] = _reasons(slack, [{"type": "actions", "elements": [_button(text="x" * 76)]}])

    assert reason.endswith("cannot exceed 75 characters [json-pointer:/blocks/0/elements/0/text]")


def test_an_action_id_twice_in_one_block_is_refused(slack: WebClient) -> None:
    actions = {"type": "actions", "elements": [_button("go"), _button("go")]}

    assert _reasons(slack, [actions]) == [
        "[ERROR] duplicate action_id 'go' [json-pointer:/blocks/0/elements/1/action_id]"
    ]


def test_the_same_action_id_in_two_blocks_is_taken(slack: WebClient) -> None:
    blocks = [{"type": "actions", "elements": [_button("go")]}] * 2

    assert slack.chat_postMessage(channel="C0DESIGN", text="fallback", blocks=blocks)["ok"]


def test_a_block_id_twice_in_a_message_is_refused(slack: WebClient) -> None:
    blocks = [_section(block_id="card"), _section(block_id="card")]

    assert _reasons(slack, blocks) == [
        "[ERROR] duplicate block_id 'card' [json-pointer:/blocks/1/block_id]"
    ]


def test_a_block_id_over_255_characters_is_refused(slack: WebClient) -> None:
    [reason] = _reasons(slack, [_section(block_id="b" * 256)])

    assert "block_id cannot exceed 255 characters" in reason


def test_an_action_id_over_255_characters_is_refused(slack: WebClient) -> None:
    [reason] = _reasons(slack, [{"type": "actions", "elements": [_button("a" * 256)]}])

    assert "action_id attribute cannot exceed 255 characters" in reason


def test_an_actions_block_with_more_than_25_elements_is_refused(slack: WebClient) -> None:
    buttons = [_button(f"b{i}") for i in range(26)]

    [reason] = _reasons(slack, [{"type": "actions", "elements": buttons}])

    assert "cannot exceed 25 elements" in reason


def test_a_context_block_with_more_than_10_elements_is_refused(slack: WebClient) -> None:
    elements = [{"type": "mrkdwn", "text": str(i)} for i in range(11)]

    [reason] = _reasons(slack, [{"type": "context", "elements": elements}])

    assert "cannot exceed 10 elements" in reason


def test_a_section_with_more_than_10_fields_is_refused(slack: WebClient) -> None:
    fields = [{"type": "mrkdwn", "text": str(i)} for i in range(11)]

    [reason] = _reasons(slack, [{"type": "section", "fields": fields}])

    assert "fields attribute cannot exceed 10 items" in reason


def test_a_section_field_over_2000_characters_is_refused(slack: WebClient) -> None:
    fields = [{"type": "mrkdwn", "text": "x" * 2001}]

    assert _reasons(slack, [{"type": "section", "fields": fields}]) == [
        "[ERROR] must be no more than 2000 characters [json-pointer:/blocks/0/fields/0/text]"
    ]


def test_a_select_with_more_than_100_options_is_refused(slack: WebClient) -> None:
    options = [_option(str(i), str(i)) for i in range(101)]

    [reason] = _reasons(slack, [_select(options)])

    assert "options attribute cannot exceed 100 elements" in reason


def test_option_text_over_75_characters_is_refused(slack: WebClient) -> None:
    [reason] = _reasons(slack, [_select([_option(text="x" * 76)])])

    assert reason.endswith("[json-pointer:/blocks/0/elements/0/options/0/text]")


def test_an_option_value_over_150_characters_is_refused(slack: WebClient) -> None:
    [reason] = _reasons(slack, [_select([_option(value="v" * 151)])])

    assert "value attribute cannot exceed 150 characters" in reason


def test_chat_update_with_bad_blocks_is_refused_and_keeps_the_message(
    slack: WebClient, standin: RunningStandin
) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", text="v1")["ts"]

    with pytest.raises(SlackApiError) as failure:
        slack.chat_update(channel="C0DESIGN", ts=ts, text="v2", blocks=[{"type": "nope"}])

    assert failure.value.response["error"] == "invalid_blocks"
    assert standin.messages("design")[0]["text"] == "v1"


def test_chat_post_ephemeral_with_bad_blocks_is_refused(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.chat_postEphemeral(
            channel="C0DESIGN", user="U06BEN1002", text="hi", blocks=[{"type": "nope"}]
        )

    assert failure.value.response["error"] == "invalid_blocks"
