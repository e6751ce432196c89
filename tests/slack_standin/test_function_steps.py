"""Custom steps through a real Bolt app: function_executed, its function token, and
functions.completeSuccess / completeError with Slack's refusals."""

from __future__ import annotations

from typing import Any

import pytest
from slack_bolt import App, Complete, Fail
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin
from slack_standin.bolt_sender import LocalSlack
from slack_standin.executions import TOKEN_LIFETIME, parameters
from tests.slack_standin.conftest import ManualClock

SECRET = "signing-secret"
ROOM_STEP = {
    "title": "Create room",
    "description": "Creates an ACS room",
    "input_parameters": {
        "properties": {
            "title": {"type": "string", "title": "Title"},
            "organizer": {"type": "slack#/types/user_id", "title": "Organizer"},
        },
        "required": ["title"],
    },
    "output_parameters": {
        "properties": {"room_id": {"type": "string", "title": "Room"}},
        "required": ["room_id"],
    },
}
Seen = dict[str, Any]


def _slack(standin: RunningStandin, step: Any) -> LocalSlack:
    standin.workspace.functions["demo_step"] = ROOM_STEP
    client = WebClient(token=standin.bot_token, base_url=standin.base_url)
    app = App(client=client, signing_secret=SECRET, process_before_response=True)
    app.function("demo_step")(step)
    return LocalSlack(app, signing_secret=SECRET, team_id="T0DEMO", standin=standin)


def _completing(seen: Seen) -> Any:
    def step(
        inputs: dict[str, Any], event: dict[str, Any], client: WebClient, complete: Complete
    ) -> None:
        seen.update(event=event, token=client.token)
        client.chat_postMessage(channel="C0DESIGN", text=f"Creating {inputs['title']}")
        complete(outputs={"room_id": "room-1"})

    return step


def _run(slack: LocalSlack, **inputs: Any) -> str:
    return slack.function_executed(
        callback_id="demo_step", inputs={"title": "Sync", **inputs}, user_id="U06ANA1001"
    )


def _error(call: Any) -> str:
    with pytest.raises(SlackApiError) as refused:
        call()
    return str(refused.value.response["error"])


def test_a_completed_step_records_its_outputs(standin: RunningStandin) -> None:
    seen: Seen = {}
    execution_id = _run(_slack(standin, _completing(seen)))

    assert standin.function_outcome(execution_id) == {"outputs": {"room_id": "room-1"}}
    (record,) = standin.function_executions()
    assert (record["id"], record["callback_id"], record["user_id"]) == (
        execution_id,
        "demo_step",
        "U06ANA1001",
    )


def test_the_event_carries_the_manifests_function_and_a_function_token(
    standin: RunningStandin,
) -> None:
    seen: Seen = {}
    execution_id = _run(_slack(standin, _completing(seen)))

    event = seen["event"]
    assert (event["type"], event["function_execution_id"]) == ("function_executed", execution_id)
    assert event["inputs"] == {"title": "Sync"}
    assert event["bot_access_token"] == seen["token"]
    assert seen["token"].startswith("xwfp-")
    assert event["function"]["callback_id"] == "demo_step"
    assert event["function"]["input_parameters"] == [
        {"type": "string", "title": "Title", "name": "title", "is_required": True},
        {
            "type": "slack#/types/user_id",
            "title": "Organizer",
            "name": "organizer",
            "is_required": False,
        },
    ]
    assert event["workflow_execution_id"].startswith("Wx")


def test_the_function_token_works_during_the_step_and_is_revoked_after(
    standin: RunningStandin,
) -> None:
    seen: Seen = {}
    _run(_slack(standin, _completing(seen)))

    (post,) = standin.calls("chat.postMessage")
    assert (post.ok, post.token) == (True, seen["token"])
    after = WebClient(token=seen["token"], base_url=standin.base_url)
    assert _error(after.auth_test) == "token_revoked"


def test_a_failed_step_records_its_error(standin: RunningStandin) -> None:
    def step(fail: Fail) -> None:
        fail(error="ACS is unreachable")

    execution_id = _run(_slack(standin, step))

    assert standin.function_outcome(execution_id) == {"error": "ACS is unreachable"}


def test_a_step_left_running_expires_its_token_after_fifteen_minutes(
    standin: RunningStandin, clock: ManualClock, slack: WebClient
) -> None:
    seen: Seen = {}

    def step(client: WebClient) -> None:
        seen["token"] = client.token

    execution_id = _run(_slack(standin, step))
    clock.advance(TOKEN_LIFETIME + 1)

    late = WebClient(token=seen["token"], base_url=standin.base_url)
    assert _error(late.auth_test) == "token_revoked"
    slack.functions_completeSuccess(function_execution_id=execution_id, outputs={"room_id": "r"})
    assert standin.function_outcome(execution_id) == {"outputs": {"room_id": "r"}}


def test_an_unknown_execution_is_refused(slack: WebClient) -> None:
    call = lambda: slack.functions_completeError(function_execution_id="Fx0404", error="x")  # noqa: E731

    assert _error(call) == "function_execution_not_found"


def test_completing_twice_is_refused(standin: RunningStandin, slack: WebClient) -> None:
    execution_id = _run(_slack(standin, _completing({})))

    call = lambda: slack.functions_completeError(function_execution_id=execution_id, error="x")  # noqa: E731

    assert _error(call) == "execution_not_in_running_state"
    assert standin.function_outcome(execution_id) == {"outputs": {"room_id": "room-1"}}


def test_a_required_output_left_out_is_refused(standin: RunningStandin) -> None:
    refusals: list[str] = []

    def step(complete: Complete) -> None:
        refusals.append(_error(lambda: complete(outputs={"other": "x"})))

    execution_id = _run(_slack(standin, step))

    assert refusals == ["parameter_validation_failed"]
    assert standin.function_outcome(execution_id) is None
    (call,) = standin.calls("functions.completeSuccess")
    assert "missing required output: room_id" in call.response["response_metadata"]["messages"][0]


def test_outputs_must_be_an_object(standin: RunningStandin, slack: WebClient) -> None:
    execution_id = _run(_slack(standin, lambda: None))
    args = {"function_execution_id": execution_id, "outputs": ["room-1"]}

    assert _error(lambda: slack.api_call("functions.completeSuccess", json=args)) == (
        "invalid_arguments"
    )


def test_a_function_token_cannot_complete_another_execution(standin: RunningStandin) -> None:
    tokens: list[str] = []
    slack = _slack(standin, lambda client: tokens.append(client.token))
    first, second = _run(slack), _run(slack)

    other = WebClient(token=tokens[1], base_url=standin.base_url)
    call = lambda: other.functions_completeError(function_execution_id=first, error="x")  # noqa: E731

    assert _error(call) == "access_denied"
    assert second != first


def test_the_sender_refuses_what_slack_would_never_send(standin: RunningStandin) -> None:
    slack = _slack(standin, lambda: None)

    with pytest.raises(ValueError, match="no function"):
        slack.function_executed(callback_id="undeclared", inputs={}, user_id="U06ANA1001")
    with pytest.raises(ValueError, match="required inputs"):
        slack.function_executed(callback_id="demo_step", inputs={}, user_id="U06ANA1001")


def test_parameters_read_the_flat_and_the_list_forms_alike() -> None:
    flat = {"title": {"type": "string", "is_required": True}}
    listed = [{"type": "string", "name": "title", "is_required": True}]

    assert (
        parameters(flat)
        == parameters(listed)
        == [{"type": "string", "name": "title", "is_required": True}]
    )
