"""Card buttons, modals, shortcuts and the App Home, driven as Slack would drive them."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.blocks import ids
from bot.console.form_input import state_values
from bot.services.domain import Role, RoomKey, RoomState, Workspace
from tests.support.slack_stack import Stack

ANA, BEN, CHO = "U06ANA1001", "U06BEN1002", "U06CHO1003"


def room(stack: Stack, number: int = 1):  # type: ignore[no-untyped-def]
    return stack.services.rooms.get(
        Workspace("", stack.standin.workspace.team_id), RoomKey(number=number)
    )


def test_the_extend_button_on_the_card_extends_by_a_day(stack: Stack) -> None:
    stack.run("/room create Retro for 1h")
    before = room(stack).valid_until
    stack.press("Extend +1 d", 1)
    assert room(stack).valid_until - before == timedelta(days=1)


def test_the_extend_button_reopens_an_ended_room_from_now(stack: Stack) -> None:
    stack.run("/room create Retro for 1h")
    stack.run("/room reschedule #1 from in 1 minute for 1h")
    stack.press("Extend +1 h", 1)
    assert room(stack).valid_until > stack.services.clock() + timedelta(minutes=59)


def test_a_button_forged_to_name_another_room_is_checked_again(stack: Stack) -> None:
    stack.run("/room create Mine", user="ben")
    stack.run("/room create Chos room", user="cho")
    forged = {"type": "button", "action_id": ids.ROOM_DELETE, "value": "2", "block_id": "x"}
    card = stack.channel_messages()[0]
    stack.session.slack.press(
        user_id=BEN,
        action=forged,
        trigger_id=stack.standin.new_trigger_id("ben"),
        container={
            "container": {"type": "message", "message_ts": card["ts"], "channel_id": "C0GENERAL"},
            "channel": {"id": "C0GENERAL"},
        },
        response_url=stack.standin.new_response_url("C0GENERAL", BEN),
    )
    stack.session.settle()
    assert room(stack, 2).state is RoomState.ACTIVE
    assert "Only the organizer" in stack.last_reply("ben")


def test_a_tampered_button_value_gets_a_clear_message(stack: Stack) -> None:
    forged = {"type": "button", "action_id": "room_extend_1d", "value": "1;DROP", "block_id": "x"}
    stack.session.slack.press(
        user_id=ANA,
        action=forged,
        trigger_id=stack.standin.new_trigger_id("ana"),
        container={"container": {"type": "message"}, "channel": {"id": "C0GENERAL"}},
        response_url=stack.standin.new_response_url("C0GENERAL", ANA),
    )
    stack.session.settle()
    assert "no longer points at a room" in stack.last_reply()


def test_slash_room_alone_opens_the_create_modal(stack: Stack) -> None:
    stack.run("/room")
    opened = stack.standin.wait_for("views.open")
    assert opened.args["view"]["callback_id"] == ids.ROOM_CREATE


def test_submitting_the_create_modal_makes_a_room_and_posts_its_card(stack: Stack) -> None:
    stack.run("/room", channel="design")
    stack.submit('title="Crit" duration="1 hour" presenters=ben attendees=cho pstn=on')
    made = room(stack)
    assert made.title == "Crit"
    assert made.pstn_dial_out_enabled is True
    assert {m.slack_user_id: m.role.value for m in made.members} == {
        ANA: "Presenter",
        BEN: "Presenter",
        CHO: "Attendee",
    }
    assert made.card_ts in {m["ts"] for m in stack.channel_messages("design")}


def test_an_invalid_modal_window_is_reported_on_its_field_and_creates_nothing(stack: Stack) -> None:
    stack.run("/room")
    view = stack.standin.modal_stack("ana")[-1]
    response = stack.session.slack.submit(
        user_id=ANA,
        view=view,
        trigger_id=stack.standin.new_trigger_id("ana"),
        values={
            ids.TITLE.block_id: {ids.TITLE.action_id: {"type": "plain_text_input", "value": "X"}},
            ids.END.block_id: {
                ids.END.action_id: {"type": "datetimepicker", "selected_date_time": 1000}
            },
        },
    )
    body = json.loads(response.body)
    assert body["response_action"] == "errors"
    assert ids.END.block_id in body["errors"]
    assert stack.emulator.snapshot() == {} or room_count(stack) == 0


def room_count(stack: Stack) -> int:
    ws = Workspace("", stack.standin.workspace.team_id)
    return len(stack.services.rooms.list_rooms(ws, involving=None, include_ended=True))


def test_submitting_the_same_modal_twice_makes_one_room(stack: Stack) -> None:
    stack.run("/room")
    view = stack.standin.modal_stack("ana")[-1]
    values = state_values(
        view,
        {"title": "Once", "duration": "1 hour"},
        workspace=stack.standin.workspace,
        tz=ZoneInfo("UTC"),
        now=stack.services.clock(),
        channel_id="C0GENERAL",
    )
    for _ in range(2):
        stack.session.slack.submit(
            user_id=ANA, view=view, values=values, trigger_id=stack.standin.new_trigger_id("ana")
        )
    stack.session.settle()
    assert room_count(stack) == 1
    assert len(stack.standin.calls("chat.postMessage")) == 1


def test_the_edit_modal_changes_window_pstn_and_roster_together(stack: Stack) -> None:
    stack.run(f"/room create Retro for 1h <@{BEN}>")
    stack.press("Edit", 1)
    stack.submit("duration=2h pstn=on attendees=cho")
    edited = room(stack)
    assert edited.valid_until - edited.valid_from == timedelta(hours=2)
    assert edited.pstn_dial_out_enabled is True
    assert {m.slack_user_id for m in edited.members} == {ANA, CHO}


def test_the_invite_modal_adds_people_with_the_chosen_role(stack: Stack) -> None:
    stack.run("/room create Retro")
    stack.press("Invite", 1)
    stack.submit("people=ben role=Consumer")
    assert {m.slack_user_id: m.role.value for m in room(stack).members}[BEN] == "Consumer"


def test_the_global_shortcut_opens_the_create_modal(stack: Stack) -> None:
    stack.session.handle(":shortcut")
    assert stack.standin.wait_for("views.open").args["view"]["callback_id"] == ids.ROOM_CREATE


def test_the_message_shortcut_prefills_title_and_people_from_the_message(stack: Stack) -> None:
    text = f"Kickoff with <@{BEN}> and <@{CHO}>\nagenda follows"
    ts = stack.standin.post_user_message("general", "ana", text)
    stack.message_shortcut(next(m for m in stack.channel_messages() if m["ts"] == ts))
    view = stack.standin.wait_for("views.open").args["view"]
    title = next(b for b in view["blocks"] if b.get("block_id") == ids.TITLE.block_id)
    attendees = next(
        b for b in view["blocks"] if b.get("block_id") == ids.ROLE_PEOPLE[Role.ATTENDEE].block_id
    )
    assert title["element"]["initial_value"] == "Kickoff"
    assert attendees["element"]["initial_users"] == [ANA, BEN, CHO]


def test_the_app_home_lists_my_rooms_with_their_buttons(stack: Stack) -> None:
    stack.run("/room create Later tomorrow 10:00")
    stack.session.handle(":home")
    home = stack.standin.home("ana")
    assert home is not None
    assert "Later" in json.dumps(home["blocks"])
    assert ids.ROOM_DELETE in json.dumps(home["blocks"])


def test_another_workspace_cannot_see_or_change_my_rooms(stack: Stack) -> None:
    stack.run("/room create Secret")
    stack.session.slack.team_id = "T0OTHER"
    stack.run("/room show #1")
    stack.run("/room delete #1")
    assert "can't find room #1" in stack.last_reply()
    stack.session.slack.team_id = stack.standin.workspace.team_id
    assert room(stack).state is RoomState.ACTIVE
