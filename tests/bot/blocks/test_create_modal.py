from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.blocks import ids
from bot.blocks.create_modal import (
    CreateDefaults,
    CreateSubmission,
    create_room_modal,
    loading_modal,
    read_create_submission,
    result_modal,
)
from bot.services.domain import Role

Json = dict[str, Any]


def block(view: Json, block_id: str) -> Json:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def state(
    *,
    title: str | None = "Weekly sync",
    start: datetime | None = None,
    end: datetime | None = None,
    duration: str | None = None,
    people: dict[Role, list[str]] | None = None,
    channel: str | None = "C0CHANNEL",
    pstn: bool = False,
) -> Json:
    """`view.state.values` shaped as Slack sends it on view_submission."""

    def stamp(dt: datetime | None) -> int | None:
        return None if dt is None else int(dt.timestamp())

    values: Json = {
        ids.TITLE.block_id: {ids.TITLE.action_id: {"type": "plain_text_input", "value": title}},
        ids.START.block_id: {
            ids.START.action_id: {"type": "datetimepicker", "selected_date_time": stamp(start)}
        },
        ids.END.block_id: {
            ids.END.action_id: {"type": "datetimepicker", "selected_date_time": stamp(end)}
        },
        ids.DURATION.block_id: {
            ids.DURATION.action_id: {
                "type": "static_select",
                "selected_option": {
                    "text": {"type": "plain_text", "text": "x"},
                    "value": duration or "end",
                },
            }
        },
        ids.CHANNEL.block_id: {
            ids.CHANNEL.action_id: {
                "type": "conversations_select",
                "selected_conversation": channel,
            }
        },
        ids.PSTN.block_id: {
            ids.PSTN.action_id: {
                "type": "checkboxes",
                "selected_options": [{"value": ids.PSTN_OPTION_VALUE}] if pstn else [],
            }
        },
    }
    for role, picker in ids.ROLE_PEOPLE.items():
        picked = (people or {}).get(role, [])
        values[picker.block_id] = {
            picker.action_id: {"type": "multi_users_select", "selected_users": picked}
        }
    return values


def modal_with(**defaults: Any) -> Json:
    return create_room_modal(
        defaults=CreateDefaults(**defaults), private_metadata='{"nonce": "n1"}'
    )


def test_the_create_modal_parses_and_respects_slack_limits(
    now: datetime, assert_valid_view: Callable[[Json], None]
) -> None:
    assert_valid_view(modal_with(title="Sync", start=now, end=now + timedelta(hours=1)))


def test_the_create_modal_submits_to_the_room_create_callback() -> None:
    view = modal_with()
    assert (view["callback_id"], view["private_metadata"]) == (ids.ROOM_CREATE, '{"nonce": "n1"}')


def test_the_create_modal_has_one_people_picker_per_role() -> None:
    view = modal_with()
    pickers = [block(view, ids.ROLE_PEOPLE[role].block_id)["element"]["type"] for role in Role]
    assert pickers == ["multi_users_select"] * 4


def test_the_create_modal_prefills_title_and_people() -> None:
    view = modal_with(title="From a\nmessage", people={Role.PRESENTER: ["U0A", "U0A", "U0B"]})
    assert block(view, ids.TITLE.block_id)["element"]["initial_value"] == "From a message"
    presenters = block(view, ids.ROLE_PEOPLE[Role.PRESENTER].block_id)["element"]
    assert presenters["initial_users"] == ["U0A", "U0B"]


def test_the_create_modal_prefills_the_window_as_unix_seconds(now: datetime) -> None:
    view = modal_with(start=now, end=now + timedelta(hours=1))
    assert block(view, ids.START.block_id)["element"]["initial_date_time"] == int(now.timestamp())
    assert (
        block(view, ids.END.block_id)["element"]["initial_date_time"] == int(now.timestamp()) + 3600
    )


def test_the_duration_defaults_to_using_the_end_time() -> None:
    element = block(modal_with(), ids.DURATION.block_id)["element"]
    assert element["initial_option"]["value"] == "end"
    assert [o["value"] for o in element["options"]] == [
        "end",
        "15m",
        "30m",
        "1h",
        "2h",
        "4h",
        "1d",
        "7d",
    ]


def test_the_channel_picker_defaults_to_the_current_conversation() -> None:
    element = block(modal_with(), ids.CHANNEL.block_id)["element"]
    assert element["default_to_current_conversation"] is True


def test_the_channel_picker_prefills_a_given_channel() -> None:
    element = block(modal_with(channel_id="C0PICKED"), ids.CHANNEL.block_id)["element"]
    assert element["initial_conversation"] == "C0PICKED"


def test_the_pstn_checkbox_is_ticked_when_the_default_says_so() -> None:
    element = block(modal_with(pstn=True), ids.PSTN.block_id)["element"]
    assert element["initial_options"] == element["options"]


def test_a_5000_character_default_title_is_cut_to_the_input_limit(
    assert_valid_view: Callable[[Json], None],
) -> None:
    view = modal_with(title="t" * 5000)
    assert_valid_view(view)
    assert len(block(view, ids.TITLE.block_id)["element"]["initial_value"]) == 150


def test_private_metadata_over_3000_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="private_metadata"):
        create_room_modal(defaults=CreateDefaults(), private_metadata="x" * 3001)


def test_the_loading_modal_is_valid_and_cut_to_the_title_limit(
    assert_valid_view: Callable[[Json], None],
) -> None:
    view = loading_modal("Creating a room with a very long name")
    assert_valid_view(view)
    assert view["title"]["text"] == "Creating a room with a …"


def test_the_result_modal_shows_its_text_with_a_done_button(
    assert_valid_view: Callable[[Json], None],
) -> None:
    view = result_modal("Room created", "Room *#12* is ready in <#C0CHANNEL>.")
    assert_valid_view(view)
    assert (view["close"]["text"], view["blocks"][0]["text"]["text"]) == (
        "Done",
        "Room *#12* is ready in <#C0CHANNEL>.",
    )


def test_a_valid_submission_reads_as_typed_values(now: datetime) -> None:
    values = state(
        start=now,
        end=now + timedelta(hours=2),
        people={Role.PRESENTER: ["U0A"], Role.CONSUMER: ["U0B"]},
        pstn=True,
    )
    assert read_create_submission(values, now=now) == CreateSubmission(
        title="Weekly sync",
        valid_from=now,
        valid_until=now + timedelta(hours=2),
        people={
            Role.PRESENTER: ("U0A",),
            Role.ATTENDEE: (),
            Role.CONSUMER: ("U0B",),
            Role.COLLABORATOR: (),
        },
        channel_id="C0CHANNEL",
        pstn_dial_out_enabled=True,
    )


def test_a_submission_gives_the_roster_as_roles_by_user(now: datetime) -> None:
    values = state(
        end=now + timedelta(hours=1), people={Role.PRESENTER: ["U0A"], Role.ATTENDEE: ["U0B"]}
    )
    result = read_create_submission(values, now=now)
    assert isinstance(result, CreateSubmission)
    assert result.roles_by_user() == {"U0A": Role.PRESENTER, "U0B": Role.ATTENDEE}


def test_an_empty_start_means_now(now: datetime) -> None:
    result = read_create_submission(state(end=now + timedelta(hours=1)), now=now)
    assert isinstance(result, CreateSubmission)
    assert result.valid_from == now


def test_a_chosen_duration_replaces_the_end_time(now: datetime) -> None:
    result = read_create_submission(
        state(start=now, end=now + timedelta(days=3), duration="30m"), now=now
    )
    assert isinstance(result, CreateSubmission)
    assert result.valid_until == now + timedelta(minutes=30)


def test_no_channel_reads_as_none(now: datetime) -> None:
    result = read_create_submission(state(end=now + timedelta(hours=1), channel=None), now=now)
    assert isinstance(result, CreateSubmission)
    assert result.channel_id is None


@pytest.mark.parametrize(
    ("overrides", "block_id", "message"),
    [
        ({"title": None}, ids.TITLE.block_id, "Give the room a title."),
        ({"title": "  \n "}, ids.TITLE.block_id, "Give the room a title."),
        ({"title": "x" * 151}, ids.TITLE.block_id, "Keep the title within 150 characters."),
        (
            {"end": None},
            ids.END.block_id,
            "Pick an end time, or choose how long the room stays open.",
        ),
        ({"start": +2, "end": +1}, ids.END.block_id, "The end must be after the start."),
        ({"start": -3, "end": -1}, ids.END.block_id, "The end must be in the future."),
        ({"start": -2, "duration": "1h"}, ids.DURATION.block_id, "The end must be in the future."),
        (
            {"start": -24 * 100, "end": 24 * 81},
            ids.END.block_id,
            "A room can stay open for at most 180 days.",
        ),
        (
            {"start": 24 * 181, "end": 24 * 182},
            ids.START.block_id,
            "The start can be at most 180 days from now.",
        ),
    ],
)
def test_an_invalid_submission_puts_the_error_on_the_right_block(
    now: datetime, overrides: Json, block_id: str, message: str
) -> None:
    # start/end in `overrides` are hours from now; the end defaults to an hour from now.
    fields = {"end": 1} | overrides
    for key in ("start", "end"):
        if fields.get(key) is not None:
            fields[key] = now + timedelta(hours=fields[key])
    assert read_create_submission(state(**fields), now=now) == {block_id: message}


def test_a_person_picked_under_two_roles_is_an_error_on_the_second_role(now: datetime) -> None:
    values = state(
        end=now + timedelta(hours=1),
        people={Role.PRESENTER: ["U0A"], Role.CONSUMER: ["U0B", "U0A"]},
    )
    assert read_create_submission(values, now=now) == {
        ids.ROLE_PEOPLE[
            Role.CONSUMER
        ].block_id: "Someone here is also among the Presenters: each person has one role."
    }


def test_several_problems_are_reported_together(now: datetime) -> None:
    values = state(title="", end=now - timedelta(hours=1))
    assert set(read_create_submission(values, now=now)) == {ids.TITLE.block_id, ids.END.block_id}


def test_a_submission_missing_blocks_reads_without_crashing(now: datetime) -> None:
    assert read_create_submission({}, now=now) == {
        ids.TITLE.block_id: "Give the room a title.",
        ids.END.block_id: "Pick an end time, or choose how long the room stays open.",
    }


def test_error_keys_are_block_ids_that_exist_in_the_modal(now: datetime) -> None:
    view_block_ids = {b.get("block_id") for b in modal_with()["blocks"]}
    errors = read_create_submission(
        state(title="", end=now + timedelta(days=400), start=now + timedelta(days=200)), now=now
    )
    assert isinstance(errors, dict)
    assert set(errors) <= view_block_ids
    json.dumps(errors)
