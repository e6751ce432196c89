"""Required arguments and scopes per method: the table agrees with Slack's spec, and the
stand-in refuses a missing argument with `invalid_arguments` and a missing scope with
`missing_scope`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin
from slack_standin.checks.method_rules import (
    FROM_SPEC,
    LEGACY_SCOPES,
    RULES,
    SUPPLEMENT,
    MethodRule,
)
from slack_standin.methods import HANDLERS

REPO = Path(__file__).resolve().parents[2]
# Slack's Web API spec, kept outside the repository: CI checks out ../shared beside it.
SPEC = REPO.parent / "shared/reference/slack-api-specs/slack_web_openapi_v2_without_examples.json"

WITH_ARGUMENTS = sorted(m for m, rule in RULES.items() if rule.required)
WITH_SCOPES = sorted(m for m, rule in RULES.items() if rule.scopes)
WITHOUT_SCOPES = sorted(m for m, rule in RULES.items() if not rule.scopes)


def _refusal(slack: WebClient, method: str, args: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as failure:
        slack.api_call(method, json=args)
    return dict(failure.value.response.data)


def _error_of_call(slack: WebClient, method: str, args: dict[str, Any]) -> str | None:
    try:
        slack.api_call(method, json=args)
    except SlackApiError as failure:
        return str(failure.response["error"])
    return None


def _bot_scopes(names: list[str]) -> tuple[str, ...]:
    translated = (LEGACY_SCOPES.get(name, name) for name in names if name != "none")
    return tuple(scope for scope in translated if scope is not None)


def _rule_in_spec(operation: dict[str, Any]) -> MethodRule:
    parameters = operation.get("parameters", [])
    required = [p["name"] for p in parameters if p.get("required") and p["name"] != "token"]
    names = [n for entry in operation.get("security", []) for n in entry.get("slackAuth", [])]
    return MethodRule(tuple((name,) for name in required), _bot_scopes(names))


def test_the_rule_table_agrees_with_slacks_web_api_spec() -> None:
    if not SPEC.exists():
        pytest.skip(f"Slack's Web API spec is not checked out at {SPEC}")
    paths = json.loads(SPEC.read_text())["paths"]

    in_spec = {m: paths[f"/{m}"] for m in HANDLERS if f"/{m}" in paths}
    expected = {m: _rule_in_spec(next(iter(ops.values()))) for m, ops in in_spec.items()}

    assert expected == FROM_SPEC


def test_every_method_the_standin_serves_has_a_rule() -> None:
    assert set(RULES) == set(HANDLERS)


def test_methods_the_spec_lacks_come_from_the_supplement() -> None:
    assert set(HANDLERS) - set(FROM_SPEC) <= set(SUPPLEMENT)


@pytest.mark.parametrize("method", WITH_ARGUMENTS)
def test_a_call_without_its_required_arguments_is_refused_with_invalid_arguments(
    slack: WebClient, method: str
) -> None:
    refusal = _refusal(slack, method, {})

    assert refusal["error"] == "invalid_arguments"
    first_group = " or ".join(RULES[method].required[0])
    assert f"missing required field: {first_group}" in refusal["response_metadata"]["messages"][0]


def test_a_refused_call_names_the_missing_argument(slack: WebClient) -> None:
    refusal = _refusal(slack, "chat.update", {"channel": "C0DESIGN", "text": "v2"})

    assert refusal["response_metadata"]["messages"] == ["[ERROR] missing required field: ts"]


def test_views_update_needs_a_view_id_or_an_external_id(slack: WebClient) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "x"}, "blocks": []}

    refusal = _refusal(slack, "views.update", {"view": view})

    assert refusal["response_metadata"]["messages"] == [
        "[ERROR] missing required field: view_id or external_id"
    ]


def test_arguments_are_checked_after_auth(standin: RunningStandin) -> None:
    stranger = WebClient(token="xoxb-not-issued", base_url=standin.base_url)

    assert _refusal(stranger, "chat.postMessage", {})["error"] == "invalid_auth"


def test_posting_without_chat_write_is_refused_with_missing_scope(
    slack: WebClient, standin: RunningStandin
) -> None:
    standin.workspace.scopes.remove("chat:write")

    refusal = _refusal(slack, "chat.postMessage", {"channel": "C0DESIGN", "text": "hi"})

    assert (refusal["error"], refusal["needed"]) == ("missing_scope", "chat:write")
    assert refusal["provided"] == ",".join(standin.workspace.scopes)


@pytest.mark.parametrize("method", WITH_SCOPES)
def test_a_method_whose_scope_was_not_granted_is_refused_with_missing_scope(
    slack: WebClient, standin: RunningStandin, method: str
) -> None:
    standin.workspace.scopes.clear()

    refusal = _refusal(slack, method, {})

    needed = ",".join(RULES[method].scopes)
    assert (refusal["error"], refusal["needed"]) == ("missing_scope", needed)


def test_any_one_of_a_methods_scopes_suffices(slack: WebClient, standin: RunningStandin) -> None:
    standin.workspace.scopes.remove("channels:read")  # groups:read still lets the bot read

    assert slack.conversations_info(channel="C0DESIGN")["channel"]["id"] == "C0DESIGN"


@pytest.mark.parametrize("method", WITHOUT_SCOPES)
def test_a_method_that_needs_no_scope_is_never_refused_for_scope(
    slack: WebClient, standin: RunningStandin, method: str
) -> None:
    standin.workspace.scopes.clear()

    assert _error_of_call(slack, method, {}) != "missing_scope"
