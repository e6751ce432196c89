from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.blocks import ids
from bot.blocks.edit_modal import (
    EditSubmission,
    InviteSubmission,
    edit_room_modal,
    invite_modal,
    read_edit_submission,
    read_invite_submission,
    room_metadata,
    room_number_from_metadata,
)
from bot.services.domain import Member, Role, RoomDetails

MakeRoom = Callable[..., RoomDetails]
Json = dict[str, Any]


def element(view: Json, input_id: ids.InputId) -> Json:
    return next(b for b in view["blocks"] if b.get("block_id") == input_id.block_id)["element"]


def edit_state(*, end: datetime, people: dict[Role, list[str]], pstn: bool) -> Json:
    values: Json = {
        ids.END.block_id: {
            ids.END.action_id: {
                "type": "datetimepicker",
                "selected_date_time": int(end.timestamp()),
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
        values[picker.block_id] = {
            picker.action_id: {"type": "multi_users_select", "selected_users": people.get(role, [])}
        }
    return values


def invite_state(people: list[str], role: str | None) -> Json:
    selected = (
        None if role is None else {"text": {"type": "plain_text", "text": role}, "value": role}
    )
    return {
        ids.INVITE_PEOPLE.block_id: {
            ids.INVITE_PEOPLE.action_id: {"type": "multi_users_select", "selected_users": people}
        },
        ids.INVITE_ROLE.block_id: {
            ids.INVITE_ROLE.action_id: {"type": "static_select", "selected_option": selected}
        },
    }


def test_the_edit_modal_parses_and_respects_slack_limits(
    make_room: MakeRoom, assert_valid_view: Callable[[Json], None]
) -> None:
    assert_valid_view(edit_room_modal(make_room()))


def test_the_edit_modal_carries_the_room_number_in_its_metadata(make_room: MakeRoom) -> None:
    view = edit_room_modal(make_room(number=42))
    assert (view["callback_id"], room_number_from_metadata(view["private_metadata"])) == (
        ids.ROOM_EDIT,
        42,
    )


def test_the_edit_modal_prefills_the_window(make_room: MakeRoom) -> None:
    room = make_room()
    view = edit_room_modal(room)
    assert element(view, ids.START)["initial_date_time"] == int(room.valid_from.timestamp())
    assert element(view, ids.END)["initial_date_time"] == int(room.valid_until.timestamp())


def test_the_edit_modal_prefills_the_roster_per_role(make_room: MakeRoom) -> None:
    view = edit_room_modal(make_room())
    assert element(view, ids.ROLE_PEOPLE[Role.PRESENTER])["initial_users"] == ["U0ORGANIZER"]
    assert element(view, ids.ROLE_PEOPLE[Role.ATTENDEE])["initial_users"] == ["U0ALICE", "U0BOB"]
    assert "initial_users" not in element(view, ids.ROLE_PEOPLE[Role.CONSUMER])


def test_the_edit_modal_prefills_pstn_dial_out(make_room: MakeRoom) -> None:
    assert "initial_options" in element(
        edit_room_modal(make_room(pstn_dial_out_enabled=True)), ids.PSTN
    )


def test_the_edit_modal_shows_the_title_escaped(make_room: MakeRoom) -> None:
    view = edit_room_modal(make_room(title="<!channel> sync"))
    assert view["blocks"][0]["elements"][0]["text"] == "*#12* &lt;!channel&gt; sync"


def test_the_edit_modal_of_a_room_with_500_members_stays_valid(
    make_room: MakeRoom,
    members: Callable[[int], tuple[Member, ...]],
    assert_valid_view: Callable[[Json], None],
) -> None:
    assert_valid_view(edit_room_modal(make_room(members=members(500), title="x" * 5000)))


@pytest.mark.parametrize(
    "metadata", ["", "12", "not json", '{"room": "12"}', '{"room": true}', "[]"]
)
def test_metadata_that_is_not_ours_reads_as_no_room(metadata: str) -> None:
    assert room_number_from_metadata(metadata) is None


def test_room_metadata_round_trips() -> None:
    assert room_number_from_metadata(room_metadata(7)) == 7


def test_a_valid_edit_reads_as_the_new_window_roster_and_pstn(now: datetime) -> None:
    values = edit_state(end=now + timedelta(days=2), people={Role.ATTENDEE: ["U0A"]}, pstn=True)
    assert read_edit_submission(values, now=now) == EditSubmission(
        valid_from=now,
        valid_until=now + timedelta(days=2),
        people={
            Role.PRESENTER: (),
            Role.ATTENDEE: ("U0A",),
            Role.CONSUMER: (),
            Role.COLLABORATOR: (),
        },
        pstn_dial_out_enabled=True,
    )


def test_an_edit_ending_in_the_past_is_an_error_on_the_end(now: datetime) -> None:
    values = edit_state(end=now - timedelta(minutes=1), people={}, pstn=False)
    assert read_edit_submission(values, now=now) == {
        ids.END.block_id: "The end must be after the start."
    }


def test_an_edit_with_a_person_in_two_roles_is_an_error(now: datetime) -> None:
    values = edit_state(
        end=now + timedelta(hours=1),
        people={Role.ATTENDEE: ["U0A"], Role.COLLABORATOR: ["U0A"]},
        pstn=False,
    )
    assert list(read_edit_submission(values, now=now)) == [
        ids.ROLE_PEOPLE[Role.COLLABORATOR].block_id
    ]


def test_the_invite_modal_parses_and_defaults_to_the_attendee_role(
    make_room: MakeRoom, assert_valid_view: Callable[[Json], None]
) -> None:
    view = invite_modal(make_room())
    assert_valid_view(view)
    assert element(view, ids.INVITE_ROLE)["initial_option"]["value"] == "Attendee"
    assert (view["callback_id"], room_number_from_metadata(view["private_metadata"])) == (
        ids.ROOM_INVITE,
        12,
    )


def test_a_valid_invite_reads_as_people_and_role() -> None:
    assert read_invite_submission(
        invite_state(["U0A", "U0B", "U0A"], "Presenter")
    ) == InviteSubmission(people=("U0A", "U0B"), role=Role.PRESENTER)


def test_an_invite_without_people_is_an_error_on_the_people_picker() -> None:
    assert read_invite_submission(invite_state([], "Attendee")) == {
        ids.INVITE_PEOPLE.block_id: "Choose at least one person."
    }


def test_an_invite_with_an_unknown_role_is_an_error_on_the_role() -> None:
    assert read_invite_submission(invite_state(["U0A"], "Owner")) == {
        ids.INVITE_ROLE.block_id: "Choose a role."
    }


def test_an_invite_without_a_role_choice_uses_attendee() -> None:
    result = read_invite_submission(invite_state(["U0A"], None))
    assert isinstance(result, InviteSubmission)
    assert result.role is Role.ATTENDEE
