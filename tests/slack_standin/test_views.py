from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin

if TYPE_CHECKING:
    from tests.slack_standin.conftest import ManualClock


def _modal(title: str = "Create room", **extra: Any) -> dict[str, Any]:
    blocks = [{"type": "section", "text": {"type": "plain_text", "text": title}}]
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks,
        **extra,
    }


def _error_of(failure: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(failure.value.response["error"])


def test_views_open_returns_the_view_with_id_and_hash(
    slack: WebClient, standin: RunningStandin
) -> None:
    view = slack.views_open(trigger_id=standin.new_trigger_id("ana"), view=_modal())["view"]

    assert view["id"].startswith("V")
    assert view["hash"]
    assert view["root_view_id"] == view["id"]
    assert view["app_id"] == "A06RMB1000"


def test_an_opened_modal_is_listed_as_open_for_its_user(
    slack: WebClient, standin: RunningStandin
) -> None:
    view = slack.views_open(trigger_id=standin.new_trigger_id("ben"), view=_modal())["view"]

    assert list(standin.views) == [view["id"]]
    assert [v["id"] for v in standin.modal_stack("ben")] == [view["id"]]


def test_a_trigger_id_works_only_once(slack: WebClient, standin: RunningStandin) -> None:
    trigger = standin.new_trigger_id()
    slack.views_open(trigger_id=trigger, view=_modal())

    with pytest.raises(SlackApiError) as failure:
        slack.views_open(trigger_id=trigger, view=_modal())

    assert _error_of(failure) == "exchanged_trigger_id"


def test_a_trigger_id_expires_three_seconds_after_issue(
    slack: WebClient, standin: RunningStandin, clock: ManualClock
) -> None:
    trigger = standin.new_trigger_id()
    clock.advance(3.0)

    with pytest.raises(SlackApiError) as failure:
        slack.views_open(trigger_id=trigger, view=_modal())

    assert _error_of(failure) == "expired_trigger_id"


def test_a_trigger_id_still_works_just_before_it_expires(
    slack: WebClient, standin: RunningStandin, clock: ManualClock
) -> None:
    trigger = standin.new_trigger_id()
    clock.advance(2.9)

    assert slack.views_open(trigger_id=trigger, view=_modal())["ok"] is True


def test_an_unknown_trigger_id_is_invalid(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.views_open(trigger_id="123.456.abc", view=_modal())

    assert _error_of(failure) == "invalid_trigger_id"


def test_a_modal_with_inputs_but_no_submit_is_refused_and_keeps_the_trigger(
    slack: WebClient, standin: RunningStandin
) -> None:
    trigger = standin.new_trigger_id()
    element = {"type": "plain_text_input", "action_id": "t"}
    label = {"type": "plain_text", "text": "Title"}
    bad = _modal(blocks=[{"type": "input", "block_id": "b", "label": label, "element": element}])

    with pytest.raises(SlackApiError) as failure:
        slack.views_open(trigger_id=trigger, view=bad)

    assert _error_of(failure) == "invalid_arguments"
    assert slack.views_open(trigger_id=trigger, view=_modal())["ok"] is True


def test_views_update_by_view_id_replaces_the_view_and_its_hash(
    slack: WebClient, standin: RunningStandin
) -> None:
    opened = slack.views_open(trigger_id=standin.new_trigger_id(), view=_modal("Loading"))["view"]

    updated = slack.views_update(view_id=opened["id"], view=_modal("Ready"))["view"]

    assert updated["id"] == opened["id"]
    assert updated["hash"] != opened["hash"]
    assert standin.views[opened["id"]]["title"]["text"] == "Ready"


def test_views_update_finds_a_view_by_external_id(
    slack: WebClient, standin: RunningStandin
) -> None:
    opened = slack.views_open(
        trigger_id=standin.new_trigger_id(), view=_modal(external_id="create-1")
    )["view"]

    updated = slack.views_update(
        external_id="create-1", view=_modal("Ready", external_id="create-1")
    )

    assert updated["view"]["id"] == opened["id"]


def test_views_update_with_a_stale_hash_is_a_hash_conflict(
    slack: WebClient, standin: RunningStandin
) -> None:
    opened = slack.views_open(trigger_id=standin.new_trigger_id(), view=_modal())["view"]
    slack.views_update(view_id=opened["id"], view=_modal("Second"), hash=opened["hash"])

    with pytest.raises(SlackApiError) as failure:
        slack.views_update(view_id=opened["id"], view=_modal("Third"), hash=opened["hash"])

    assert _error_of(failure) == "hash_conflict"


def test_views_update_of_an_unknown_view_is_not_found(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.views_update(view_id="V0NOPE", view=_modal())

    assert _error_of(failure) == "not_found"


def test_views_push_stacks_a_view_on_the_users_modal(
    slack: WebClient, standin: RunningStandin
) -> None:
    root = slack.views_open(trigger_id=standin.new_trigger_id("cho"), view=_modal())["view"]

    pushed = slack.views_push(trigger_id=standin.new_trigger_id("cho"), view=_modal("Confirm"))

    assert pushed["view"]["root_view_id"] == root["id"]
    assert pushed["view"]["previous_view_id"] == root["id"]
    assert len(standin.modal_stack("cho")) == 2


def test_views_push_beyond_three_views_hits_the_push_limit(
    slack: WebClient, standin: RunningStandin
) -> None:
    slack.views_open(trigger_id=standin.new_trigger_id("cho"), view=_modal())
    for _ in range(2):
        slack.views_push(trigger_id=standin.new_trigger_id("cho"), view=_modal())

    with pytest.raises(SlackApiError) as failure:
        slack.views_push(trigger_id=standin.new_trigger_id("cho"), view=_modal())

    assert _error_of(failure) == "push_limit_reached"


def test_closing_modals_removes_them(slack: WebClient, standin: RunningStandin) -> None:
    slack.views_open(trigger_id=standin.new_trigger_id("ana"), view=_modal())

    standin.close_modals("ana")

    assert standin.views == {}


def test_views_publish_sets_one_home_tab_per_user(
    slack: WebClient, standin: RunningStandin
) -> None:
    home = {"type": "home", "blocks": [{"type": "divider"}]}

    first = slack.views_publish(user_id="U06ANA1001", view=home)["view"]
    again = slack.views_publish(user_id="U06ANA1001", view=home)["view"]

    assert first["id"] == again["id"]
    assert standin.home("ana") is not None
    assert standin.home("ben") is None


def test_views_publish_for_an_unknown_user_fails(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.views_publish(user_id="U0NOBODY", view={"type": "home", "blocks": []})

    assert _error_of(failure) == "user_not_found"
