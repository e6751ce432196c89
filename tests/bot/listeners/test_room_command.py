"""`/room` through the real Bolt app: what Slack receives, what the store and ACS then hold."""

from __future__ import annotations

from datetime import timedelta

from bot.services.domain import RoomKey, RoomState
from slack_standin import RunningStandin
from tests.support.slack_stack import Stack

ANA, BEN, CHO, OLD, HELPER = "U06ANA1001", "U06BEN1002", "U06CHO1003", "U06OLD1006", "U06HLP1007"


def card_of(stack: Stack, number: int) -> dict:
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=number))
    return next(m for m in stack.channel_messages(room.channel_id or "") if m["ts"] == room.card_ts)


def workspace(standin: RunningStandin):  # type: ignore[no-untyped-def]
    from bot.services.domain import Workspace

    return Workspace("", standin.workspace.team_id)


def test_help_lists_every_subcommand_privately(stack: Stack) -> None:
    stack.run("/room help")
    help_text = str(stack.standin.ephemerals("ana")[-1]["blocks"])
    for sub in (
        "create",
        "list",
        "show",
        "invite",
        "role",
        "remove",
        "extend",
        "reschedule",
        "pstn",
        "delete",
    ):
        assert f"*{sub}*" in help_text


def test_create_posts_a_card_and_acs_holds_the_roster_with_roles(stack: Stack) -> None:
    stack.run(
        f"/room create Design review tomorrow 14:00 for 90m <@{BEN}> as presenter <@{CHO}> pstn"
    )
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    acs = stack.emulator.snapshot()[room.acs_room_id]
    roles = {m.slack_user_id: m.role.value for m in room.members}
    assert roles == {ANA: "Presenter", BEN: "Attendee", CHO: "Presenter"}
    assert sorted(acs.participants.values()) == sorted(roles.values())
    assert acs.pstn_dial_out_enabled is True
    assert acs.valid_until - acs.valid_from == room.valid_until - room.valid_from
    assert "Design review" in card_of(stack, 1)["text"]


def test_create_answers_with_the_room_number_and_acs_id(stack: Stack) -> None:
    stack.run("/room create Standup")
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    assert f"Room #1 is ready (ACS room ID `{room.acs_room_id}`)" in stack.last_reply()


def test_a_user_group_is_expanded_to_its_members(stack: Stack) -> None:
    stack.run("/room create Crit <!subteam^S0DESIGN|@design>")
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    assert {m.slack_user_id for m in room.members} == {ANA, BEN, CHO}


def test_a_channel_is_expanded_to_its_people_but_not_its_bots(stack: Stack) -> None:
    stack.run("/room create Crit <#C0DESIGN|design>")
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    assert {m.slack_user_id for m in room.members} == {ANA, BEN, CHO}


def test_bots_and_deactivated_users_are_named_and_the_room_is_still_made(stack: Stack) -> None:
    stack.run(f"/room create Sync <@{OLD}> <@{HELPER}> <@{BEN}>")
    reply = stack.last_reply()
    assert f"<@{OLD}> is deactivated" in reply
    assert f"<@{HELPER}> is a bot" in reply
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    assert {m.slack_user_id for m in room.members} == {ANA, BEN}


def test_a_plain_at_name_is_resolved_by_name(stack: Stack) -> None:
    stack.run("/room create Sync @ben")
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    assert BEN in {m.slack_user_id for m in room.members}


def test_an_unreadable_time_gets_the_usage_and_creates_nothing(stack: Stack) -> None:
    before = len(stack.emulator.snapshot())
    stack.run("/room create Sync from blorpday")
    reply = stack.standin.ephemerals("ana")[-1]
    assert "Usage" in str(reply["blocks"])
    assert len(stack.emulator.snapshot()) == before


def test_an_unknown_subcommand_is_named_with_the_general_usage(stack: Stack) -> None:
    stack.run("/room frobnicate")
    assert "frobnicate" in stack.last_reply()


def test_a_command_over_the_size_limit_is_refused_at_once(stack: Stack) -> None:
    response = stack.run("/room create " + "x" * 5000)
    assert "too long" in response.body
    assert stack.emulator.snapshot() == {} or all(
        r.valid_from for r in stack.emulator.snapshot().values()
    )


def test_list_shows_only_my_rooms_and_all_shows_everyone_s(stack: Stack) -> None:
    stack.run("/room create Mine")
    stack.run("/room create Theirs", user="cho")
    stack.run("/room list", user="ana")
    mine = str(stack.standin.ephemerals("ana")[-1]["blocks"])
    stack.run("/room list all", user="ana")
    everyone = str(stack.standin.ephemerals("ana")[-1]["blocks"])
    assert "Mine" in mine
    assert "Theirs" not in mine
    assert "Theirs" in everyone


def test_show_finds_a_room_by_number_title_and_acs_id(stack: Stack) -> None:
    stack.run("/room create Quarterly planning")
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    for ref in ("#1", '"Quarterly planning"', room.acs_room_id):
        stack.run(f"/room show {ref}")
        assert room.acs_room_id in str(stack.standin.ephemerals("ana")[-1]["blocks"])


def test_show_of_an_unknown_room_says_so(stack: Stack) -> None:
    stack.run("/room show #42")
    assert "can't find room #42" in stack.last_reply()


def test_invite_updates_acs_the_card_in_place_and_tells_the_thread(stack: Stack) -> None:
    stack.run("/room create Retro")
    card_ts = card_of(stack, 1)["ts"]
    stack.run(f"/room invite #1 <@{BEN}> as consumer")
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    assert (
        stack.emulator.snapshot()[room.acs_room_id].participants.get(
            next(m.acs_id for m in room.members if m.slack_user_id == BEN)
        )
        == "Consumer"
    )
    assert card_of(stack, 1)["ts"] == card_ts
    thread = [
        m for m in stack.channel_messages() if m.get("thread_ts") == card_ts and m["ts"] != card_ts
    ]
    assert f"added <@{BEN}> as Consumer" in thread[-1]["text"]


def test_role_changes_a_members_role_everywhere(stack: Stack) -> None:
    stack.run(f"/room create Retro <@{BEN}>")
    stack.run(f"/room role #1 <@{BEN}> collaborator")
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    ben = next(m for m in room.members if m.slack_user_id == BEN)
    assert ben.role.value == "Collaborator"
    assert stack.emulator.snapshot()[room.acs_room_id].participants[ben.acs_id] == "Collaborator"


def test_remove_takes_people_out_of_acs_and_the_store(stack: Stack) -> None:
    stack.run(f"/room create Retro <@{BEN}> <@{CHO}>")
    stack.run(f"/room remove #1 <@{BEN}>")
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    assert {m.slack_user_id for m in room.members} == {ANA, CHO}
    assert len(stack.emulator.snapshot()[room.acs_room_id].participants) == 2


def test_extend_moves_the_end_in_acs(stack: Stack) -> None:
    stack.run("/room create Retro for 1h")
    before = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    stack.run("/room extend #1 by 30m")
    acs = stack.emulator.snapshot()[before.acs_room_id]
    assert (acs.valid_until - before.valid_until).total_seconds() == 1800


def test_reschedule_keeps_the_length_when_only_a_start_is_given(stack: Stack) -> None:
    stack.run("/room create Retro tomorrow 10:00 for 2h")
    stack.run("/room reschedule #1 from tomorrow 15:00")
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    assert room.valid_until - room.valid_from == timedelta(hours=2)
    assert stack.emulator.snapshot()[room.acs_room_id].valid_from == room.valid_from


def test_pstn_turns_dial_out_on_and_off_in_acs(stack: Stack) -> None:
    stack.run("/room create Retro")
    acs_id = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1)).acs_room_id
    stack.run("/room pstn #1 on")
    assert stack.emulator.snapshot()[acs_id].pstn_dial_out_enabled is True
    stack.run("/room pstn #1 off")
    assert stack.emulator.snapshot()[acs_id].pstn_dial_out_enabled is False


def test_delete_asks_first_and_the_button_deletes_everywhere(stack: Stack) -> None:
    stack.run("/room create Retro")
    acs_id = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1)).acs_room_id
    stack.run("/room delete #1")
    assert acs_id in stack.emulator.snapshot()
    stack.press("Delete", 1)
    assert acs_id not in stack.emulator.snapshot()
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    assert room.state is RoomState.DELETED
    assert "Deleted by" in str(card_of(stack, 1)["blocks"])


def test_someone_else_cannot_delete_and_is_told_who_can(stack: Stack) -> None:
    stack.run("/room create Retro")
    stack.run("/room delete #1", user="ben")
    assert f"Ask <@{ANA}>" in stack.last_reply("ben")


def test_an_attendee_cannot_invite_but_a_presenter_can_invite_attendees(stack: Stack) -> None:
    stack.run(f"/room create Retro <@{BEN}> as presenter <@{CHO}>")
    stack.run("/room invite #1 @dev", user="ben")
    assert "Only the organizer" in stack.last_reply("ben")
    stack.run("/room invite #1 @dev", user="cho")
    room = stack.services.rooms.get(workspace(stack.standin), RoomKey(number=1))
    assert "U06DEV1004" in {m.slack_user_id for m in room.members}


def test_a_presenter_cannot_make_someone_a_presenter(stack: Stack) -> None:
    stack.run(f"/room create Retro as presenter <@{CHO}>")
    stack.run(f"/room role #1 <@{BEN}> presenter", user="cho")
    assert "Presenters" in stack.last_reply("cho")


def test_an_admin_from_roombot_admins_may_delete_anyones_room(stack: Stack) -> None:
    stack.run("/room create Retro")
    stack.run("/room delete #1", user="eve")
    assert "Delete #1" in str(stack.standin.ephemerals("eve")[-1]["blocks"])
