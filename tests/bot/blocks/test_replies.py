from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.blocks import ids
from bot.blocks.kit import thread_note
from bot.blocks.replies import (
    delete_confirm_message,
    denied_message,
    error_message,
    help_message,
    room_details_message,
    room_list_message,
)
from bot.blocks.room_card import room_card
from bot.services.domain import RoomDetails

MakeRoom = Callable[..., RoomDetails]
Json = dict[str, Any]
Check = Callable[[Json], None]
Texts = Callable[[Json], list[str]]

USAGE = [
    (
        "create",
        "/room create <title> from <time> for <duration>",
        "/room create Standup from 9:00 for 15m",
    ),
    ("list", "/room list [all]", "/room list"),
]


def test_the_room_list_parses_and_shows_one_row_per_room(
    make_room: MakeRoom, now: datetime, assert_valid_message: Check
) -> None:
    message = room_list_message(
        [make_room(number=1), make_room(number=2)], now=now, scope="Your rooms"
    )
    assert_valid_message(message)
    assert [b["accessory"]["value"] for b in message["blocks"][1:]] == ["1", "2"]


def test_each_listed_room_has_a_details_button(make_room: MakeRoom, now: datetime) -> None:
    row = room_list_message([make_room()], now=now, scope="Your rooms")["blocks"][1]
    assert (row["accessory"]["action_id"], row["accessory"]["accessibility_label"]) == (
        ids.ROOM_DETAILS_OPEN,
        "Details of room #12",
    )


def test_an_empty_room_list_says_how_to_create_a_room(
    now: datetime, assert_valid_message: Check, texts: Texts
) -> None:
    message = room_list_message([], now=now, scope="Your rooms")
    assert_valid_message(message)
    assert "*Your rooms* (0)\nNo rooms. Type `/room create` to make one." in texts(message)


def test_a_long_room_list_stays_within_50_blocks_and_says_how_many_are_hidden(
    make_room: MakeRoom, now: datetime, assert_valid_message: Check, texts: Texts
) -> None:
    message = room_list_message(
        [make_room(number=n) for n in range(200)], now=now, scope="All rooms"
    )
    assert_valid_message(message)
    assert "…and 152 more not shown." in texts(message)


def test_room_details_are_the_room_card(make_room: MakeRoom, now: datetime) -> None:
    assert room_details_message(make_room(), now=now) == room_card(make_room(), now=now)


def test_help_lists_every_subcommand_with_its_usage_and_example(
    assert_valid_message: Check, texts: Texts
) -> None:
    message = help_message(USAGE)
    assert_valid_message(message)
    assert "*list*  `/room list [all]`\nExample: `/room list`" in texts(message)


def test_help_escapes_placeholders_so_slack_does_not_read_them_as_links(texts: Texts) -> None:
    shown = "\n".join(texts(help_message(USAGE)))
    assert "&lt;title&gt;" in shown
    assert "<title>" not in shown


def test_a_huge_help_table_stays_within_50_blocks(assert_valid_message: Check) -> None:
    assert_valid_message(help_message([("x" * 4000, "y", "z")] * 80))


def test_an_error_shows_the_escaped_text_and_the_usage(
    assert_valid_message: Check, texts: Texts
) -> None:
    message = error_message("Unknown role <!channel>", usage="/room invite <who> as <role>")
    assert_valid_message(message)
    assert texts(message)[1:] == [
        ":warning: Unknown role &lt;!channel&gt;",
        "Usage: `/room invite &lt;who&gt; as &lt;role&gt;`",
    ]


def test_an_error_without_usage_is_a_single_block() -> None:
    assert len(error_message("Room #9 was not found.")["blocks"]) == 1


def test_a_denial_is_escaped(assert_valid_message: Check) -> None:
    message = denied_message("Only the organizer can delete <#C1|x>.")
    assert_valid_message(message)
    assert "<#C1|x>" not in json.dumps(message)


def test_the_delete_confirmation_offers_delete_and_cancel_for_the_room(
    make_room: MakeRoom, assert_valid_message: Check
) -> None:
    message = delete_confirm_message(make_room())
    assert_valid_message(message)
    delete, cancel = message["blocks"][1]["elements"]
    assert (delete["text"]["text"], delete["action_id"], delete["value"], delete["style"]) == (
        "Delete #12",
        ids.ROOM_DELETE,
        "12",
        "danger",
    )
    assert (cancel["text"]["text"], cancel["action_id"], cancel["value"]) == (
        "Cancel",
        ids.ROOM_DELETE_CANCEL,
        "12",
    )


def test_the_delete_confirmation_names_the_room_escaped(make_room: MakeRoom, texts: Texts) -> None:
    message = delete_confirm_message(make_room(title="<!here> retro"))
    assert texts(message)[1].startswith("Delete room *#12* &lt;!here&gt; retro?")


def test_a_thread_note_keeps_our_mentions_and_dates(assert_valid_message: Check) -> None:
    note = thread_note("<@U0ALICE> extended the room until <!date^1777640400^{time}|13:00 UTC>")
    assert_valid_message(note)
    assert note["blocks"][0]["text"]["text"] == note["text"]


def test_a_huge_thread_note_is_truncated_into_a_valid_message(assert_valid_message: Check) -> None:
    assert_valid_message(thread_note("<@U0ALICE> " * 1000))


def test_a_denial_names_whom_to_ask_as_a_mention(assert_valid_message: Check) -> None:
    message = denied_message("Only the organizer can delete room #1.", ask="U0ORG0001")
    assert_valid_message(message)
    assert message["blocks"][0]["text"]["text"].endswith("Ask <@U0ORG0001>.")
