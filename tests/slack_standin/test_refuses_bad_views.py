"""Views Slack refuses are refused with `invalid_arguments` and a reason, before the trigger is
spent and without touching the view already open.
"""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin

Json = dict[str, Any]
DIVIDER = {"type": "divider"}


def _plain(text: str) -> Json:
    return {"type": "plain_text", "text": text}


def _modal(**extra: Any) -> Json:
    return {"type": "modal", "title": _plain("Create room"), "blocks": [DIVIDER], **extra}


def _refused_open(slack: WebClient, standin: RunningStandin, view: Json) -> list[str]:
    """Why views.open refused `view` (it must refuse it with invalid_arguments)."""
    with pytest.raises(SlackApiError) as failure:
        slack.views_open(trigger_id=standin.new_trigger_id("ana"), view=view)
    assert failure.value.response["error"] == "invalid_arguments"
    return list(failure.value.response["response_metadata"]["messages"])


def test_a_bad_block_in_a_view_is_invalid_arguments_pointing_into_the_view(
    slack: WebClient, standin: RunningStandin
) -> None:
    reasons = _refused_open(slack, standin, _modal(blocks=[{"type": "nope"}]))

    assert reasons == ["[ERROR] unknown block type 'nope' [json-pointer:/view/blocks/0]"]


def test_more_than_100_blocks_in_a_modal_are_refused(
    slack: WebClient, standin: RunningStandin
) -> None:
    [reason] = _refused_open(slack, standin, _modal(blocks=[DIVIDER] * 101))

    assert "between 1 and 100 blocks" in reason


def test_a_home_tab_takes_100_blocks(slack: WebClient) -> None:
    home = {"type": "home", "blocks": [DIVIDER] * 100}

    assert slack.views_publish(user_id="U06ANA1001", view=home)["ok"] is True


def test_more_than_100_blocks_in_a_home_tab_are_refused(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.views_publish(user_id="U06ANA1001", view={"type": "home", "blocks": [DIVIDER] * 101})

    assert failure.value.response["error"] == "invalid_arguments"


def test_a_block_id_twice_in_a_view_is_refused(slack: WebClient, standin: RunningStandin) -> None:
    twice = {**DIVIDER, "block_id": "line"}

    assert _refused_open(slack, standin, _modal(blocks=[twice, twice])) == [
        "[ERROR] duplicate block_id 'line' [json-pointer:/view/blocks/1/block_id]"
    ]


@pytest.mark.parametrize("field", ["title", "submit", "close"])
def test_title_submit_and_close_over_24_characters_are_refused(
    slack: WebClient, standin: RunningStandin, field: str
) -> None:
    [reason] = _refused_open(slack, standin, _modal(**{field: _plain("x" * 25)}))

    assert reason.endswith(f"[json-pointer:/view/{field}]")


def test_a_markdown_title_is_refused(slack: WebClient, standin: RunningStandin) -> None:
    title = {"type": "mrkdwn", "text": "*Create*"}

    assert _refused_open(slack, standin, _modal(title=title)) == [
        "[ERROR] must be a plain_text text object [json-pointer:/view/title]"
    ]


def test_a_modal_without_a_title_is_refused(slack: WebClient, standin: RunningStandin) -> None:
    view = {"type": "modal", "blocks": [DIVIDER]}

    assert _refused_open(slack, standin, view) == [
        "[ERROR] missing required field: title [json-pointer:/view]"
    ]


def test_private_metadata_over_3000_characters_is_refused(
    slack: WebClient, standin: RunningStandin
) -> None:
    [reason] = _refused_open(slack, standin, _modal(private_metadata="m" * 3001))

    assert reason.endswith("[json-pointer:/view/private_metadata]")


def test_a_callback_id_over_255_characters_is_refused(
    slack: WebClient, standin: RunningStandin
) -> None:
    [reason] = _refused_open(slack, standin, _modal(callback_id="c" * 256))

    assert reason.endswith("[json-pointer:/view/callback_id]")


def test_an_external_id_over_255_characters_is_refused(
    slack: WebClient, standin: RunningStandin
) -> None:
    [reason] = _refused_open(slack, standin, _modal(external_id="e" * 256))

    assert reason.endswith("[json-pointer:/view/external_id]")


def test_a_home_tab_with_a_submit_button_is_refused(slack: WebClient) -> None:
    home = {"type": "home", "submit": _plain("Go"), "blocks": [DIVIDER]}

    with pytest.raises(SlackApiError) as failure:
        slack.views_publish(user_id="U06ANA1001", view=home)

    assert failure.value.response["error"] == "invalid_arguments"


def test_a_refused_views_update_keeps_the_open_view(
    slack: WebClient, standin: RunningStandin
) -> None:
    opened = slack.views_open(trigger_id=standin.new_trigger_id("ana"), view=_modal())["view"]

    with pytest.raises(SlackApiError) as failure:
        slack.views_update(view_id=opened["id"], view=_modal(title=_plain("x" * 25)))

    assert failure.value.response["error"] == "invalid_arguments"
    assert standin.views[opened["id"]]["hash"] == opened["hash"]


def test_a_refused_views_push_leaves_the_stack_alone(
    slack: WebClient, standin: RunningStandin
) -> None:
    slack.views_open(trigger_id=standin.new_trigger_id("ana"), view=_modal())

    with pytest.raises(SlackApiError) as failure:
        slack.views_push(trigger_id=standin.new_trigger_id("ana"), view=_modal(blocks=[]))

    assert failure.value.response["error"] == "invalid_arguments"
    assert len(standin.modal_stack("ana")) == 1
