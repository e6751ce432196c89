"""RoomBot's Workflow Builder steps, run as Slack runs them (function_executed to the real Bolt
app, functions.completeSuccess / completeError recorded by the stand-in): each step's outputs
on success, and a `fail` with the command's message on every kind of failure."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from acs_emulator import RunningEmulator
from bot.blocks.audit_lines import event_line
from bot.services.access import Actor
from bot.services.domain import Role, RoomKey, Workspace
from slack_standin import RunningStandin
from tests.bot.listeners.conftest import console_stack
from tests.support.slack_stack import Stack

PUBLIC = "https://roombot.example.com"


@pytest.fixture
def steps(engine: Engine, emulator: RunningEmulator, standin: RunningStandin) -> Iterator[Stack]:
    settings = {
        "roombot_public_url": PUBLIC,
        "roombot_session_secret": SecretStr("session-secret-for-step-tests-0123456789"),
    }
    with console_stack(engine, emulator, standin, **settings) as stack:
        yield stack


def uid(stack: Stack, name: str) -> str:
    return stack.standin.workspace.user(name).id


def run(stack: Stack, callback_id: str, inputs: dict[str, Any], *, by: str | None = "ana") -> Any:
    """Run the step (as `by`, Slack's "Person who used this workflow"); its outcome."""
    if by is not None:
        inputs = {**inputs, "run_by": {"id": uid(stack, by), "secret": "workflow-user-secret"}}
    execution = stack.session.slack.function_executed(
        callback_id=callback_id, inputs=inputs, user_id=uid(stack, by or "ana")
    )
    stack.session.settle()
    deadline = time.monotonic() + 20
    while (outcome := stack.standin.function_outcome(execution)) is None:
        assert time.monotonic() < deadline, "the step never completed"
        time.sleep(0.02)
    return outcome


def room(stack: Stack, number: int) -> Any:
    return stack.services.rooms.get(
        Workspace("", stack.standin.workspace.team_id), RoomKey(number=number)
    )


def test_create_room_makes_the_room_posts_its_card_and_outputs_it(steps: Stack) -> None:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    outcome = run(
        steps,
        "create_room",
        {
            "title": "Standup",
            "start": int(start.timestamp()),
            "duration_minutes": 15,
            "attendees": [uid(steps, "ben"), uid(steps, "cho")],
            "presenters": [uid(steps, "dev")],
            "channel_id": steps.standin.workspace.channel("design").id,
            "pstn": True,
        },
    )
    made = room(steps, 1)
    assert outcome == {
        "outputs": {
            "room": "#1",
            "join_url": f"{PUBLIC}/r/{made.join_key}",
            "acs_room_id": made.acs_room_id,
            "valid_from": int(start.timestamp()),
            "valid_until": int((start + timedelta(minutes=15)).timestamp()),
        }
    }
    assert made.organizer_id == uid(steps, "ana")
    assert made.pstn_dial_out_enabled
    roles = {m.slack_user_id: m.role for m in made.members}
    assert roles == {
        uid(steps, "ana"): Role.PRESENTER,
        uid(steps, "dev"): Role.PRESENTER,
        uid(steps, "ben"): Role.ATTENDEE,
        uid(steps, "cho"): Role.ATTENDEE,
    }
    card = steps.standin.messages("design")[0]
    assert "Standup" in str(card["blocks"])
    assert steps.services.audit is not None
    ws = Workspace("", steps.standin.workspace.team_id)
    created = [
        e
        for e in steps.services.audit.latest(ws, Actor("U0ADMIN", is_admin=True), limit=20)
        if e.action == "room.created"
    ]
    assert [(e.actor_id, (e.detail or {}).get("via")) for e in created] == [
        (uid(steps, "ana"), "workflow")
    ]
    assert f"<@{uid(steps, 'ana')}> via workflow · `room.created` · #1" in event_line(created[0])


def test_a_scheduled_create_is_organized_by_its_first_presenter(steps: Stack) -> None:
    outcome = run(
        steps,
        "create_room",
        {"title": "Monday standup", "presenters": [uid(steps, "cho")]},
        by=None,
    )
    assert outcome["outputs"]["room"] == "#1"
    assert room(steps, 1).organizer_id == uid(steps, "cho")


def test_create_room_fails_with_the_commands_messages(steps: Stack) -> None:
    nobody = run(steps, "create_room", {"title": "Orphan"}, by=None)
    assert "needs someone to organize the room" in nobody["error"]
    past = datetime.now(UTC) - timedelta(days=2)
    ended = run(
        steps,
        "create_room",
        {"title": "Late", "start": int(past.timestamp()), "duration_minutes": 30},
    )
    assert "past" in ended["error"].lower()
    both = run(
        steps,
        "create_room",
        {"title": "Both", "duration_minutes": 30, "end": int(time.time()) + 7200},
    )
    assert both == {"error": "Give the room a length or an end, not both."}
    blank = run(steps, "create_room", {"title": "   "})
    assert blank == {"error": "The room needs a title."}
    assert steps.standin.messages("general") == []


def test_invite_extend_and_delete_act_as_the_person_who_ran_the_workflow(steps: Stack) -> None:
    steps.run("/room create Design crit for 1h @ben")
    before = room(steps, 1).valid_until
    invited = run(
        steps, "invite_to_room", {"room": "#1", "users": [uid(steps, "cho")], "role": "consumer"}
    )
    assert invited == {"outputs": {"room": "#1", "valid_until": int(before.timestamp())}}
    assert {m.slack_user_id: m.role for m in room(steps, 1).members}[
        uid(steps, "cho")
    ] is Role.CONSUMER

    extended = run(
        steps, "extend_room", {"room": room(steps, 1).acs_room_id, "duration_minutes": 30}
    )
    later = before + timedelta(minutes=30)
    assert extended == {"outputs": {"room": "#1", "valid_until": int(later.timestamp())}}

    refused = run(steps, "delete_room", {"room": "#1"}, by="ben")
    assert refused == {"error": "Only the organizer or a RoomBot admin can delete room #1."}
    deleted = run(steps, "delete_room", {"room": "1"})
    assert deleted == {"outputs": {"room": "#1"}}
    assert "Deleted by" in str(steps.channel_messages()[0]["blocks"])


def test_changing_a_room_needs_a_real_room_and_sensible_inputs(steps: Stack) -> None:
    steps.run("/room create Design crit for 1h")
    assert run(steps, "extend_room", {"room": "#7", "duration_minutes": 30}) == {
        "error": "I can't find room #7 in this workspace."
    }
    nonsense = run(steps, "delete_room", {"room": "the big one"})
    assert "is not a room" in nonsense["error"]
    zero = run(steps, "extend_room", {"room": "#1", "duration_minutes": 0})
    assert zero == {"error": "Give the minutes to add, 1 or more."}
    bad_role = run(
        steps, "invite_to_room", {"room": "#1", "users": [uid(steps, "ben")], "role": "boss"}
    )
    assert "Presenter, Attendee, Consumer or Collaborator" in bad_role["error"]


def test_a_step_whose_acs_call_fails_ends_in_error_instead_of_hanging(steps: Stack) -> None:
    steps.emulator.set_faults(error_rate=1.0)
    try:
        began = time.monotonic()
        outcome = run(steps, "create_room", {"title": "Doomed"})
    finally:
        steps.emulator.set_faults(error_rate=0.0)
    assert "error" in outcome
    assert (
        "Azure" in outcome["error"]
        or "ACS" in outcome["error"]
        or "try again" in outcome["error"].lower()
    )
    assert time.monotonic() - began < 30
