"""Workspaces are sealed from each other, and forged clicks and submissions are re-checked.

Workspace B's requests are signed like any other (Slack signs every workspace's requests with
the app's one secret); they name B's team, and must never reach workspace A's rooms by number,
ACS id, title, button value or modal metadata. Inside one workspace, a payload edited to name a
room the clicker has no rights on is refused, with an ephemeral message and a 'denied' record.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from sqlalchemy import Engine, select

from bot.blocks import ids
from bot.services.domain import Role, RoomDetails, RoomKey, RoomState, Workspace
from slack_standin.bolt_sender import LocalSlack
from storage.models import AuditEventRow
from tests.support.slack_stack import Stack

OTHER_TEAM = "T0OTHER"
BEN, CHO, EVE, DEV = "U06BEN1002", "U06CHO1003", "U06EVE1005", "U06DEV1004"


def room_of_a(stack: Stack, number: int = 1) -> RoomDetails:
    return stack.services.rooms.get(Workspace("", stack.standin.workspace.team_id), RoomKey(number))


def other_workspace(stack: Stack) -> LocalSlack:
    """The session's LocalSlack (same app, same signing secret) speaking for team B."""
    other = copy.copy(stack.session.slack)
    other.team_id = OTHER_TEAM
    return other


def type_in_b(stack: Stack, user: str, text: str) -> Any:
    general = stack.standin.workspace.channel("general").id
    response = other_workspace(stack).command(
        user_id=user,
        channel_id=general,
        text=text,
        response_url=stack.standin.new_response_url(general, user),
        trigger_id=stack.standin.new_trigger_id(user),
    )
    stack.session.settle()
    return response


def click_in(slack: LocalSlack, stack: Stack, user: str, action: dict[str, Any]) -> None:
    general = stack.standin.workspace.channel("general").id
    slack.press(
        user_id=user,
        action={"type": "button", "block_id": "x", **action},
        trigger_id=stack.standin.new_trigger_id(user),
        container={"container": {"type": "message"}, "channel": {"id": general}},
        response_url=stack.standin.new_response_url(general, user),
    )
    stack.session.settle()


def snapshot(room: RoomDetails) -> tuple[object, ...]:
    return (
        room.title,
        room.valid_from,
        room.valid_until,
        room.members,
        room.state,
        room.pstn_dial_out_enabled,
    )


@pytest.fixture
def a_room(stack: Stack) -> RoomDetails:
    stack.run("/room create Secret plans for 2h <@U06BEN1002>", user="ana")
    return room_of_a(stack)


@pytest.mark.parametrize(
    "command",
    [
        "show #1",
        "show {acs}",
        "show “Secret plans”",
        "extend #1 by 1h",
        "extend {acs} by 1h",
        "reschedule #1 from tomorrow 9am for 1h",
        "pstn #1 on",
        "invite #1 <@U06DEV1004> as presenter",
        "role #1 <@U06BEN1002> presenter",
        "remove #1 <@U06BEN1002>",
        "delete #1",
        "delete {acs}",
    ],
)
def test_a_command_from_another_workspace_cannot_reach_a_room(
    stack: Stack, a_room: RoomDetails, command: str
) -> None:
    before = snapshot(a_room)
    type_in_b(stack, EVE, command.format(acs=a_room.acs_room_id))  # eve: a RoomBot admin
    assert "can't find room" in stack.last_reply("eve")
    assert "U06ANA1001" not in json.dumps([c.args for c in stack.standin.calls()][-3:])
    assert snapshot(room_of_a(stack)) == before


@pytest.mark.parametrize("command", ["list all", "list mine", "audit", "audit #1"])
def test_listing_and_auditing_from_another_workspace_show_nothing_of_a(
    stack: Stack, a_room: RoomDetails, command: str
) -> None:
    stack.standin.clear()
    type_in_b(stack, EVE, command)
    shown = json.dumps([c.args for c in stack.standin.calls()])
    assert "Secret plans" not in shown
    assert a_room.acs_room_id not in shown
    assert "U06ANA1001" not in shown  # the organizer, as in A's audit records


@pytest.mark.parametrize(
    "action",
    [
        {"action_id": ids.ROOM_DELETE, "value": "1"},
        {"action_id": "room_extend_1d", "value": "1:1d"},
        {"action_id": ids.ROOM_EDIT_OPEN, "value": "1"},
        {"action_id": ids.ROOM_INVITE_OPEN, "value": "1"},
        {"action_id": ids.ROOM_DETAILS_OPEN, "value": "1"},
        {"action_id": ids.AUDIT_NEXT, "value": '{"r":1}'},
    ],
    ids=lambda a: a["action_id"],
)
def test_a_button_replayed_from_another_workspace_cannot_reach_a_room(
    stack: Stack, a_room: RoomDetails, action: dict[str, Any]
) -> None:
    before = snapshot(a_room)
    stack.standin.clear()
    click_in(other_workspace(stack), stack, EVE, action)
    assert snapshot(room_of_a(stack)) == before
    assert stack.standin.calls("views.open") == []
    assert "Secret plans" not in json.dumps([c.args for c in stack.standin.calls()])


def forged_submission(stack: Stack, slack: LocalSlack, name: str, user: str, metadata: str) -> None:
    """`user` opens an invite form on their own room #2, then edits its metadata before submit."""
    stack.press("Invite", 2, user=name)
    view = stack.standin.modal_stack(user)[-1]
    forged = {**view, "private_metadata": metadata}
    values = {
        ids.INVITE_PEOPLE.block_id: {
            ids.INVITE_PEOPLE.action_id: {"type": "multi_users_select", "selected_users": [DEV]}
        },
        ids.INVITE_ROLE.block_id: {
            ids.INVITE_ROLE.action_id: {
                "type": "static_select",
                "selected_option": {
                    "value": "Presenter",
                    "text": {"type": "plain_text", "text": "P"},
                },
            }
        },
    }
    slack.submit(
        user_id=user, view=forged, values=values, trigger_id=stack.standin.new_trigger_id(user)
    )
    stack.session.settle()


def test_a_modal_from_another_workspace_cannot_change_a_room(
    stack: Stack, a_room: RoomDetails
) -> None:
    stack.run("/room create Bens own", user="ben")
    before = snapshot(a_room)
    forged_submission(stack, other_workspace(stack), "ben", BEN, json.dumps({"room": 1}))
    assert snapshot(room_of_a(stack)) == before


def denied_records(engine: Engine) -> list[AuditEventRow]:
    with engine.connect() as connection:
        rows = connection.execute(select(AuditEventRow).where(AuditEventRow.outcome == "denied"))
        return list(rows)


def test_an_invite_form_edited_to_name_someone_elses_room_is_refused_and_recorded(
    stack: Stack, a_room: RoomDetails, engine: Engine
) -> None:
    stack.run("/room create Chos own", user="cho")  # #2, cho organizes, ben has no rights
    stack.run("/room create Bens own", user="ben")  # #3
    before = snapshot(room_of_a(stack, 2))
    stack.press("Invite", 3, user="ben")
    view = stack.standin.modal_stack(BEN)[-1]
    forged = {**view, "private_metadata": json.dumps({"room": 2})}
    values = {
        ids.INVITE_PEOPLE.block_id: {
            ids.INVITE_PEOPLE.action_id: {"type": "multi_users_select", "selected_users": [DEV]}
        },
    }
    stack.session.slack.submit(
        user_id=BEN, view=forged, values=values, trigger_id=stack.standin.new_trigger_id("ben")
    )
    stack.session.settle()
    assert snapshot(room_of_a(stack, 2)) == before
    result = stack.standin.views[view["id"]]
    assert "Only the organizer" in json.dumps(result)
    assert denied_records(engine)


def test_a_delete_button_edited_to_name_someone_elses_room_leaves_a_denied_record(
    stack: Stack, a_room: RoomDetails, engine: Engine
) -> None:
    stack.run("/room create Chos own", user="cho")
    click_in(stack.session.slack, stack, BEN, {"action_id": ids.ROOM_DELETE, "value": "2"})
    assert room_of_a(stack, 2).state is RoomState.ACTIVE
    assert "Only the organizer" in stack.last_reply("ben")
    assert denied_records(engine)


def test_a_presenter_cannot_make_someone_a_presenter_by_command(
    stack: Stack, a_room: RoomDetails
) -> None:
    stack.run("/room create Chos own", user="cho")
    stack.run("/room invite #2 <@U06BEN1002> as presenter", user="cho")
    assert Role.PRESENTER in {m.role for m in room_of_a(stack, 2).members if m.slack_user_id == BEN}
    stack.run("/room role #2 <@U06DEV1004> presenter", user="ben")
    assert "Only the organizer or a RoomBot admin can add, change or remove Presenters" in (
        stack.last_reply("ben")
    )
    assert DEV not in {m.slack_user_id for m in room_of_a(stack, 2).members}


@pytest.mark.parametrize("value", ["9" * 5000, "99999999999999999999", "0", "-1", "1e3"])
def test_absurd_room_numbers_in_a_button_get_a_clear_message(
    stack: Stack, a_room: RoomDetails, value: str
) -> None:
    click_in(stack.session.slack, stack, BEN, {"action_id": ids.ROOM_DETAILS_OPEN, "value": value})
    assert "no longer points at a room" in stack.last_reply("ben")
