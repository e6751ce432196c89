"""RoomBot's own surfaces, built with realistic data, pass every check the stand-in makes.

A refusal here means RoomBot sends something real Slack would refuse: the reason is in the
failure's `response_metadata.messages`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.blocks.audit import audit_home_section
from bot.blocks.create_modal import CreateDefaults, create_room_modal, loading_modal, result_modal
from bot.blocks.edit_modal import edit_room_modal, invite_modal, room_metadata
from bot.blocks.home import app_home
from bot.blocks.room_card import room_card
from bot.services.domain import Member, Role, RoomDetails, RoomState, Workspace
from slack_standin import RunningStandin

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
# 150 characters, with the three characters Slack wants escaped.
LONG_TITLE = ("Q3 planning & budget <draft> review " * 5)[:150]
STATUSES = {
    "upcoming": (RoomState.ACTIVE, timedelta(hours=2)),
    "open": (RoomState.ACTIVE, timedelta(hours=-1)),
    "ended": (RoomState.ACTIVE, timedelta(days=-3)),
    "deleted": (RoomState.DELETED, timedelta(hours=-1)),
    "creating": (RoomState.CREATING, timedelta(hours=-1)),
}


def _members(per_role: int) -> tuple[Member, ...]:
    return tuple(
        Member(f"U0{role.value[:3].upper()}{i:05d}", f"8:acs:{role.value}-{i}", role)
        for role in Role
        for i in range(per_role)
    )


def _room(number: int = 12345, status: str = "open", per_role: int = 5) -> RoomDetails:
    state, starts_in = STATUSES[status]
    return RoomDetails(
        workspace=Workspace(enterprise_id="", team_id="T0DEMO"),
        number=number,
        title=LONG_TITLE,
        acs_room_id="99524377284615023",
        organizer_id="U06ANA1001",
        channel_id="C0DESIGN",
        card_ts=None,
        valid_from=NOW + starts_in,
        valid_until=NOW + starts_in + timedelta(days=2),
        pstn_dial_out_enabled=True,
        state=state,
        members=_members(per_role),
    )


def _open(slack: WebClient, standin: RunningStandin, view: dict[str, Any]) -> bool:
    return bool(slack.views_open(trigger_id=standin.new_trigger_id("ana"), view=view)["ok"])


@pytest.mark.parametrize("status", sorted(STATUSES))
def test_the_room_card_is_taken_in_every_status(slack: WebClient, status: str) -> None:
    card = room_card(_room(status=status), now=NOW, deleted_by="U06ANA1001")

    assert slack.chat_postMessage(channel="C0DESIGN", **card)["ok"] is True


def test_the_room_card_of_a_crowded_room_is_taken(slack: WebClient) -> None:
    card = room_card(_room(per_role=60), now=NOW)

    assert slack.chat_postMessage(channel="C0DESIGN", **card)["ok"] is True


def test_the_room_card_is_taken_as_an_update(slack: WebClient) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", **room_card(_room(), now=NOW))["ts"]

    card = room_card(_room(status="ended"), now=NOW)

    assert slack.chat_update(channel="C0DESIGN", ts=ts, **card)["ok"] is True


def test_the_room_card_is_taken_through_a_response_url(standin: RunningStandin) -> None:
    url = standin.new_response_url("C0DESIGN", "U06ANA1001")

    answer = WebhookClient(url).send_dict(
        {**room_card(_room(), now=NOW), "response_type": "in_channel"}
    )

    assert (answer.status_code, answer.body) == (200, "ok")


def test_the_create_modal_is_taken(slack: WebClient, standin: RunningStandin) -> None:
    people = {role: [m.slack_user_id for m in _room().members_with(role)] for role in Role}
    defaults = CreateDefaults(
        title=LONG_TITLE,
        start=NOW,
        end=NOW + timedelta(hours=1),
        people=people,
        channel_id="C0DESIGN",
        pstn=True,
    )

    view = create_room_modal(defaults=defaults, private_metadata='{"channel": "C0DESIGN"}')

    assert _open(slack, standin, view)


def test_the_empty_create_modal_is_taken(slack: WebClient, standin: RunningStandin) -> None:
    assert _open(slack, standin, create_room_modal(defaults=CreateDefaults(), private_metadata=""))


def test_the_edit_modal_is_taken(slack: WebClient, standin: RunningStandin) -> None:
    assert _open(slack, standin, edit_room_modal(_room(number=99999999, per_role=30)))


def test_the_invite_modal_is_taken(slack: WebClient, standin: RunningStandin) -> None:
    assert _open(slack, standin, invite_modal(_room(number=99999999)))


def test_the_loading_modal_then_the_result_modal_are_taken(
    slack: WebClient, standin: RunningStandin
) -> None:
    loading = slack.views_open(
        trigger_id=standin.new_trigger_id("ana"), view=loading_modal(LONG_TITLE)
    )["view"]

    result = result_modal(LONG_TITLE, f"Room *#12* {LONG_TITLE} is ready.")

    assert slack.views_update(view_id=loading["id"], view=result)["ok"] is True


def test_the_edit_modal_is_taken_as_an_update(slack: WebClient, standin: RunningStandin) -> None:
    loading = slack.views_open(
        trigger_id=standin.new_trigger_id("ana"), view=loading_modal("Edit room")
    )["view"]

    edit = edit_room_modal(_room())

    assert slack.views_update(view_id=loading["id"], view=edit)["ok"] is True
    assert edit["private_metadata"] == room_metadata(12345)


def test_the_app_home_of_an_admin_with_many_rooms_is_taken(slack: WebClient) -> None:
    rooms = {
        status: [_room(number=n, status=status) for n in range(1, 60)]
        for status in ("upcoming", "open", "ended")
    }

    home = app_home(
        rooms_upcoming=rooms["upcoming"],
        rooms_open=rooms["open"],
        rooms_ended=rooms["ended"],
        now=NOW,
        is_admin=True,
        admin_section=audit_home_section([]),
    )

    assert slack.views_publish(user_id="U06ANA1001", view=home)["ok"] is True


def test_the_app_home_of_someone_without_rooms_is_taken(slack: WebClient) -> None:
    home = app_home(rooms_upcoming=[], rooms_open=[], rooms_ended=[], now=NOW, is_admin=False)

    assert slack.views_publish(user_id="U06BEN1002", view=home)["ok"] is True
