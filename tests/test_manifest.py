"""manifest.yml: valid for Slack, and declaring exactly what the real Bolt app answers to.

The manifest is checked against the registry (bot/listeners/registry.py), and the registry
against the real app: a signed request for each declared command, shortcut and event reaches a
listener, while undeclared ones get Bolt's 404 for "no listener matched".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema.validators import validator_for
from pydantic import SecretStr
from slack_sdk import WebClient
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.app import create_app
from bot.config import Settings
from bot.grammar.usage import USAGE
from bot.listeners import registry
from bot.listeners.functions import ROLE_INPUTS, STEPS
from bot.web.signin import CALLBACK_PATH
from bot.web.signin import SCOPES as SIGN_IN_SCOPES
from slack_standin import RunningStandin
from slack_standin.bolt_sender import IdleExecutor, LocalSlack
from tests.support.slack_stack import make_services

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "manifest.yml"
# Slack's official schema, kept outside the repository: CI checks out ../shared beside it.
SCHEMA = REPO.parent / "shared/reference/slack-manifest-schema/manifest.schema.1.0.0.json"
EVENTS_URL = "https://roombot.example.com/slack/events"
REDIRECT_URL = "https://roombot.example.com/slack/oauth_redirect"
SIGNING_SECRET = "manifest-test-secret"
HANDLED, UNHANDLED = 200, 404  # Bolt answers 404 when no listener matched a request
SETTLE_SECONDS = 30.0


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    loaded = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict), "manifest.yml is not a YAML mapping"
    return loaded


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    if not SCHEMA.is_file():
        pytest.fail(
            f"Slack's manifest schema is missing: expected {SCHEMA} (../shared beside the repo)"
        )
    loaded: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return loaded


# --- the manifest is one Slack accepts ---------------------------------------------------------


def test_the_manifest_is_valid_against_slacks_official_schema(
    manifest: dict[str, Any], schema: dict[str, Any]
) -> None:
    validator_class = validator_for(schema)  # the draft the schema declares (draft-07)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    problems = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(manifest)]
    assert not problems, "manifest.yml breaks Slack's schema:\n" + "\n".join(problems)


def test_the_background_color_is_a_hex_color(manifest: dict[str, Any]) -> None:
    # The schema writes this rule under "regex", a keyword JSON Schema ignores, so check it here.
    color = manifest["display_information"]["background_color"]
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", color)


# --- the manifest declares exactly what the code registers ------------------------------------


def test_the_manifest_declares_exactly_the_registered_slash_command(
    manifest: dict[str, Any],
) -> None:
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [registry.SLASH_COMMAND]


def test_the_usage_hint_names_exactly_the_subcommands_the_grammar_reads(
    manifest: dict[str, Any],
) -> None:
    (command,) = manifest["features"]["slash_commands"]
    hint = re.fullmatch(r"\[([^\]]+)\] …", command["usage_hint"])
    assert hint, command["usage_hint"]
    assert sorted(word.strip() for word in hint[1].split("|")) == sorted(USAGE)


def test_the_slash_command_escapes_mentions_so_they_arrive_as_ids(
    manifest: dict[str, Any],
) -> None:
    (command,) = manifest["features"]["slash_commands"]
    assert command["should_escape"] is True


def test_the_manifest_declares_exactly_the_registered_shortcuts(manifest: dict[str, Any]) -> None:
    declared = sorted((s["type"], s["callback_id"]) for s in manifest["features"]["shortcuts"])
    registered = sorted(
        [("global", callback_id) for callback_id in registry.GLOBAL_SHORTCUTS]
        + [("message", callback_id) for callback_id in registry.MESSAGE_SHORTCUTS]
    )
    assert declared == registered


def test_the_manifest_subscribes_to_exactly_the_registered_bot_events(
    manifest: dict[str, Any],
) -> None:
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert sorted(events) == sorted(registry.EVENTS)


def test_the_manifest_requests_exactly_the_bot_scopes_the_code_needs(
    manifest: dict[str, Any],
) -> None:
    scopes = manifest["oauth_config"]["scopes"]
    assert sorted(scopes["bot"]) == sorted(registry.BOT_SCOPES)


def test_the_only_user_scopes_are_the_ones_sign_in_with_slack_asks_for(
    manifest: dict[str, Any],
) -> None:
    scopes = manifest["oauth_config"]["scopes"]
    assert set(scopes) == {"bot", "user"}
    assert sorted(scopes["user"]) == sorted(SIGN_IN_SCOPES)


def test_the_home_tab_is_enabled_because_roombot_publishes_an_app_home(
    manifest: dict[str, Any],
) -> None:
    assert "app_home_opened" in registry.EVENTS
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_every_request_url_is_the_slack_events_endpoint_of_roombot_serve(
    manifest: dict[str, Any],
) -> None:
    settings = manifest["settings"]
    urls = [c["url"] for c in manifest["features"]["slash_commands"]]
    urls += [settings["interactivity"]["request_url"]]
    urls += [settings["event_subscriptions"]["request_url"]]
    assert urls == [EVENTS_URL] * 3


def test_the_redirect_urls_are_bolts_oauth_flow_and_the_join_pages_sign_in(
    manifest: dict[str, Any],
) -> None:
    sign_in = REDIRECT_URL.removesuffix("/slack/oauth_redirect") + CALLBACK_PATH
    assert manifest["oauth_config"]["redirect_urls"] == [REDIRECT_URL, sign_in]


def test_the_manifest_is_for_http_mode_until_socket_mode_is_switched_on(
    manifest: dict[str, Any],
) -> None:
    assert manifest["settings"]["socket_mode_enabled"] is False


# --- the registry matches the real app ---------------------------------------------------------


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=5)) as running:
        yield running


@pytest.fixture
def slack(
    engine: Engine, emulator: RunningEmulator, standin: RunningStandin
) -> Iterator[LocalSlack]:
    """The real Bolt app, fed signed requests as Slack would send them."""
    services = make_services(engine, emulator)
    settings = Settings(_env_file=None, slack_signing_secret=SecretStr(SIGNING_SECRET))  # type: ignore[call-arg]
    executor = IdleExecutor(4)
    client = WebClient(token=standin.bot_token, base_url=standin.base_url)
    app = create_app(settings, services, client=client, executor=executor)
    try:
        yield LocalSlack(
            app,
            signing_secret=SIGNING_SECRET,
            team_id=standin.workspace.team_id,
            workspace=standin.workspace,
        )
    finally:
        executor.wait_idle(SETTLE_SECONDS)  # lazy listeners finish before the store closes
        executor.shutdown(wait=True)
        services.close()


def run_command(slack: LocalSlack, standin: RunningStandin, command: str, text: str) -> int:
    ana, general = standin.workspace.user("ana").id, standin.workspace.channel("general").id
    response = slack.command(
        user_id=ana,
        channel_id=general,
        text=text,
        command=command,
        response_url=standin.new_response_url(general, ana),
        trigger_id=standin.new_trigger_id(ana),
    )
    return response.status


def run_shortcut(slack: LocalSlack, standin: RunningStandin, kind: str, callback_id: str) -> int:
    ana, general = standin.workspace.user("ana").id, standin.workspace.channel("general").id
    on_message: dict[str, Any] = {}
    if kind == "message":
        message = {"type": "message", "user": ana, "text": "Kickoff", "ts": "1700000000.000100"}
        on_message = {
            "message": message,
            "channel_id": general,
            "response_url": standin.new_response_url(general, ana),
        }
    response = slack.shortcut(
        user_id=ana, callback_id=callback_id, trigger_id=standin.new_trigger_id(ana), **on_message
    )
    return response.status


def test_the_real_app_handles_the_registered_slash_command(
    slack: LocalSlack, standin: RunningStandin
) -> None:
    assert run_command(slack, standin, registry.SLASH_COMMAND, "help") == HANDLED


def test_the_real_app_does_not_handle_an_undeclared_slash_command(
    slack: LocalSlack, standin: RunningStandin
) -> None:
    assert run_command(slack, standin, "/other", "help") == UNHANDLED


@pytest.mark.parametrize(
    ("kind", "callback_id"),
    [("global", c) for c in registry.GLOBAL_SHORTCUTS]
    + [("message", c) for c in registry.MESSAGE_SHORTCUTS],
)
def test_the_real_app_handles_each_registered_shortcut(
    slack: LocalSlack, standin: RunningStandin, kind: str, callback_id: str
) -> None:
    assert run_shortcut(slack, standin, kind, callback_id) == HANDLED


@pytest.mark.parametrize("kind", ["global", "message"])
def test_the_real_app_does_not_handle_an_undeclared_shortcut(
    slack: LocalSlack, standin: RunningStandin, kind: str
) -> None:
    assert run_shortcut(slack, standin, kind, "undeclared_shortcut") == UNHANDLED


def sample_event(event_type: str, user_id: str) -> dict[str, Any]:
    """The event as Slack sends it: the App Home is opened by a user; the lifecycle events
    (the app left the workspace, its tokens were revoked) carry no user."""
    fields: dict[str, dict[str, Any]] = {
        "app_home_opened": {"user": user_id, "tab": "home", "channel": "D0ROOMBOT"},
        "tokens_revoked": {"tokens": {"oauth": [], "bot": ["U0ROOMBOT"]}},
    }
    return {"type": event_type, **fields.get(event_type, {})}


@pytest.mark.parametrize("event_type", registry.EVENTS)
def test_the_real_app_handles_each_registered_event(
    slack: LocalSlack, standin: RunningStandin, event_type: str
) -> None:
    event = sample_event(event_type, standin.workspace.user("ana").id)
    assert slack.event(event).status == HANDLED


def test_the_real_app_does_not_handle_an_event_the_manifest_does_not_subscribe_to(
    slack: LocalSlack, standin: RunningStandin
) -> None:
    ana = standin.workspace.user("ana").id
    event = {"type": "reaction_added", "user": ana, "reaction": "tada", "item": {}}
    assert slack.event(event).status == UNHANDLED


# --- Workflow Builder steps: the manifest's functions and the app's listeners, both ways -------


def test_the_manifest_declares_exactly_the_registered_workflow_steps(
    manifest: dict[str, Any],
) -> None:
    assert sorted(manifest["functions"]) == sorted(registry.FUNCTIONS) == sorted(STEPS)


def test_each_steps_parameters_are_the_ones_its_code_reads_and_completes_with(
    manifest: dict[str, Any],
) -> None:
    """The contract's names: what the steps read from `inputs` and put in `outputs`."""
    functions = manifest["functions"]
    inputs = {name: sorted(f["input_parameters"]) for name, f in functions.items()}
    outputs = {name: sorted(f["output_parameters"]) for name, f in functions.items()}
    role_lists = sorted(ROLE_INPUTS)
    assert inputs == {
        "create_room": sorted(
            [
                "title",
                "start",
                "duration_minutes",
                "end",
                "channel_id",
                "pstn",
                "run_by",
                *role_lists,
            ]
        ),
        "invite_to_room": ["role", "room", "run_by", "users"],
        "extend_room": ["duration_minutes", "room", "run_by"],
        "delete_room": ["room", "run_by"],
    }
    assert outputs == {
        "create_room": ["acs_room_id", "join_url", "room", "valid_from", "valid_until"],
        "invite_to_room": ["room", "valid_until"],
        "extend_room": ["room", "valid_until"],
        "delete_room": ["room"],
    }
    assert functions["create_room"]["input_parameters"]["title"]["is_required"] is True
    for name in ("invite_to_room", "extend_room", "delete_room"):
        assert functions[name]["input_parameters"]["run_by"]["is_required"] is True


def test_an_app_with_steps_is_org_ready_as_slack_requires(manifest: dict[str, Any]) -> None:
    assert manifest["settings"]["org_deploy_enabled"] is True


@pytest.mark.parametrize("callback_id", registry.FUNCTIONS)
def test_the_real_app_handles_each_declared_step(
    slack: LocalSlack, standin: RunningStandin, manifest: dict[str, Any], callback_id: str
) -> None:
    standin.workspace.adopt_manifest(manifest)
    ana = standin.workspace.user("ana").id
    execution = standin.start_function_execution(
        callback_id,
        {
            "room": "#1",
            "title": "x",
            "users": [ana],
            "duration_minutes": 5,
            "run_by": {"id": ana, "secret": "s"},
        },
        ana,
    )
    assert slack.event(execution.event()).status == HANDLED


def test_the_real_app_does_not_handle_an_undeclared_step(
    slack: LocalSlack, standin: RunningStandin, manifest: dict[str, Any]
) -> None:
    undeclared = {"title": "x", "description": "x", "input_parameters": {}, "output_parameters": {}}
    functions = {**manifest.get("functions", {}), "undeclared_step": undeclared}
    standin.workspace.adopt_manifest({**manifest, "functions": functions})
    ana = standin.workspace.user("ana").id
    execution = standin.start_function_execution("undeclared_step", {}, ana)
    assert slack.event(execution.event()).status == UNHANDLED
