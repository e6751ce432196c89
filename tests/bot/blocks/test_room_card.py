from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.blocks import ids
from bot.blocks.room_card import room_card
from bot.blocks.text import join_within
from bot.services.domain import Member, Role, RoomDetails, RoomState

MakeRoom = Callable[..., RoomDetails]
Json = dict[str, Any]


def buttons(card: Json) -> list[Json]:
    return [e for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]]


def action_ids(card: Json) -> list[str]:
    return [b["action_id"] for b in buttons(card)]


def roster(card: Json) -> str:
    return next(b["text"]["text"] for b in card["blocks"] if b.get("block_id") == ids.CARD_ROSTER)


def test_the_card_parses_and_respects_slack_limits(
    make_room: MakeRoom, now: datetime, assert_valid_message: Callable[[Json], None]
) -> None:
    assert_valid_message(room_card(make_room(), now=now))


def test_the_header_shows_the_title(make_room: MakeRoom, now: datetime) -> None:
    card = room_card(make_room(title="Design review"), now=now)
    assert card["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Design review"},
    }


@pytest.mark.parametrize(
    "typed", ["<!channel>", "<!here>", "<@U0MALLORY>", "<#C0GENERAL>", "<http://x|y>"]
)
def test_markup_typed_in_a_title_never_appears_raw(
    make_room: MakeRoom, now: datetime, typed: str
) -> None:
    card = room_card(make_room(title=f"Party {typed} now"), now=now)
    assert typed not in json.dumps(card, ensure_ascii=False)


def test_a_title_with_markup_is_shown_escaped(make_room: MakeRoom, now: datetime) -> None:
    card = room_card(make_room(title="<!channel> & co"), now=now)
    assert card["blocks"][0]["text"]["text"] == "&lt;!channel&gt; &amp; co"


def test_the_card_shows_the_room_number_and_acs_room_id(
    make_room: MakeRoom, now: datetime, texts: Callable[[Json], list[str]]
) -> None:
    shown = "\n".join(texts(room_card(make_room(), now=now)))
    assert "#12" in shown
    assert "99524377284615023" in shown


def test_the_window_is_shown_in_each_readers_local_time(
    make_room: MakeRoom, now: datetime, texts: Callable[[Json], list[str]]
) -> None:
    room = make_room()
    shown = "\n".join(texts(room_card(room, now=now)))
    assert f"<!date^{int(room.valid_from.timestamp())}^" in shown
    assert f"<!date^{int(room.valid_until.timestamp())}^" in shown


@pytest.mark.parametrize(
    ("start_offset", "end_offset", "state", "status"),
    [
        (timedelta(hours=1), timedelta(hours=2), RoomState.ACTIVE, "Upcoming"),
        (-timedelta(hours=1), timedelta(hours=1), RoomState.ACTIVE, "Open now"),
        (-timedelta(hours=2), -timedelta(hours=1), RoomState.ACTIVE, "Ended"),
        (-timedelta(hours=1), timedelta(hours=1), RoomState.DELETED, "Deleted"),
    ],
)
def test_the_card_states_the_rooms_status(
    make_room: MakeRoom,
    now: datetime,
    texts: Callable[[Json], list[str]],
    start_offset: timedelta,
    end_offset: timedelta,
    state: RoomState,
    status: str,
) -> None:
    room = make_room(valid_from=now + start_offset, valid_until=now + end_offset, state=state)
    assert f"*Status*\n{status}" in texts(room_card(room, now=now))


def test_the_organizer_is_mentioned(
    make_room: MakeRoom, now: datetime, texts: Callable[[Json], list[str]]
) -> None:
    assert "*Organizer*\n<@U0ORGANIZER>" in texts(room_card(make_room(), now=now))


@pytest.mark.parametrize(("enabled", "shown"), [(True, "On"), (False, "Off")])
def test_the_card_says_whether_pstn_dial_out_is_on(
    make_room: MakeRoom,
    now: datetime,
    texts: Callable[[Json], list[str]],
    enabled: bool,
    shown: str,
) -> None:
    card = room_card(make_room(pstn_dial_out_enabled=enabled), now=now)
    assert f"*PSTN dial-out*\n{shown}" in texts(card)


def test_the_roster_is_grouped_by_role_without_empty_roles(
    make_room: MakeRoom, now: datetime
) -> None:
    text = roster(room_card(make_room(), now=now))
    assert text == "*Presenters (1)*: <@U0ORGANIZER>\n*Attendees (2)*: <@U0ALICE>, <@U0BOB>"


def test_an_empty_roster_says_so(
    make_room: MakeRoom, now: datetime, texts: Callable[[Json], list[str]]
) -> None:
    assert "*Roster*: nobody invited yet" in texts(room_card(make_room(members=()), now=now))


def test_an_open_room_has_every_button_carrying_the_room_number(
    make_room: MakeRoom, now: datetime
) -> None:
    room = make_room()
    values = {b["action_id"]: b["value"] for b in buttons(room_card(room, now=now))}
    shown = int(room.valid_until.timestamp())  # the end the card shows: a click acts on it
    assert values == {
        ids.ROOM_EDIT_OPEN: "12",
        ids.ROOM_INVITE_OPEN: "12",
        "room_extend_1h": f"12:1h:{shown}",
        "room_extend_1d": f"12:1d:{shown}",
        "room_extend_7d": f"12:7d:{shown}",
        ids.ROOM_DELETE: "12",
    }


def test_delete_is_a_danger_button_with_a_confirm_dialog_naming_the_room(
    make_room: MakeRoom, now: datetime
) -> None:
    delete = next(
        b for b in buttons(room_card(make_room(), now=now)) if b["action_id"] == ids.ROOM_DELETE
    )
    assert delete["style"] == "danger"
    assert delete["confirm"]["title"]["text"] == "Delete room #12?"
    assert "Weekly sync" in delete["confirm"]["text"]["text"]


def test_every_button_has_an_accessibility_label(make_room: MakeRoom, now: datetime) -> None:
    labels = [b.get("accessibility_label", "") for b in buttons(room_card(make_room(), now=now))]
    assert all("#12" in label for label in labels)


def test_an_ended_room_offers_only_extend_and_delete(make_room: MakeRoom, now: datetime) -> None:
    room = make_room(valid_from=now - timedelta(days=2), valid_until=now - timedelta(days=1))
    assert action_ids(room_card(room, now=now)) == [
        "room_extend_1h",
        "room_extend_1d",
        "room_extend_7d",
        ids.ROOM_DELETE,
    ]


def test_a_deleted_room_says_who_deleted_it_and_has_no_buttons(
    make_room: MakeRoom, now: datetime, texts: Callable[[Json], list[str]]
) -> None:
    card = room_card(make_room(state=RoomState.DELETED), now=now, deleted_by="U0ADMIN")
    assert "Deleted by <@U0ADMIN>" in texts(card)
    assert buttons(card) == []


def test_a_room_being_created_has_no_buttons(make_room: MakeRoom, now: datetime) -> None:
    assert buttons(room_card(make_room(state=RoomState.CREATING), now=now)) == []


def test_the_fallback_text_names_the_room_and_its_status(
    make_room: MakeRoom, now: datetime
) -> None:
    text = room_card(make_room(title="<!here> standup"), now=now)["text"]
    assert text.startswith("Room #12: &lt;!here&gt; standup (open now, open until <!date^")


def test_a_5000_character_title_is_truncated_into_a_valid_card(
    make_room: MakeRoom, now: datetime, assert_valid_message: Callable[[Json], None]
) -> None:
    card = room_card(make_room(title="&" * 5000), now=now)
    assert_valid_message(card)
    assert card["blocks"][0]["text"]["text"].endswith("&amp;…")


def test_500_members_stay_within_the_section_limit_and_say_how_many_more(
    make_room: MakeRoom,
    now: datetime,
    members: Callable[[int], tuple[Member, ...]],
    assert_valid_message: Callable[[Json], None],
) -> None:
    card = room_card(make_room(members=members(500)), now=now)
    assert_valid_message(card)
    text = roster(card)
    assert len(text) <= 3000
    assert all(f"({125})*" in line and "more" in line for line in text.split("\n"))


def test_every_role_keeps_its_line_when_one_role_is_huge(
    make_room: MakeRoom, now: datetime, members: Callable[[int], tuple[Member, ...]]
) -> None:
    crowd = tuple(Member(m.slack_user_id, m.acs_id, Role.ATTENDEE) for m in members(400))
    lone = Member("U0LONE", "8:acs:r_lone", Role.CONSUMER)
    text = roster(room_card(make_room(members=(*crowd, lone)), now=now))
    assert text.split("\n")[1] == "*Consumers (1)*: <@U0LONE>"


def test_join_within_lists_everything_that_fits() -> None:
    assert join_within(["a", "b"], 100) == "a, b"


def test_join_within_counts_what_it_leaves_out() -> None:
    assert join_within(["aaaa", "bbbb", "cccc"], 22) == "aaaa, …and 2 more"
