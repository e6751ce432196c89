"""Each room operation, driven through the real app, leaves exactly one record with its fields."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine

from bot.services.attempts import Action, Outcome
from bot.services.domain import RoomKey
from tests.bot.audit.helpers import ANA, BEN, CHO, DEMO, only, recorded
from tests.support.slack_stack import Stack


def window_of(values: object) -> tuple[datetime, datetime]:
    assert isinstance(values, dict)
    return (
        datetime.fromisoformat(values["valid_from"]),
        datetime.fromisoformat(values["valid_until"]),
    )


def test_creating_a_room_records_who_made_it_and_the_room_as_made(
    stack: Stack, engine: Engine
) -> None:
    stack.run(f"/room create Standup <@{BEN}> pstn")
    event = only(engine, Action.ROOM_CREATED)
    assert (event.actor_id, event.outcome, event.room_number) == (ANA, Outcome.OK, 1)
    assert event.before is None
    assert event.after is not None
    assert event.after["title"] == "Standup"
    assert event.after["pstn_dial_out_enabled"] is True
    assert event.after["state"] == "active"
    assert event.after["roster"] == {"Presenter": [ANA], "Attendee": [BEN]}
    assert event.acs_room_id == stack.services.rooms.get(DEMO, RoomKey(number=1)).acs_room_id


def test_each_new_identity_is_recorded_once_as_done_by_roombot(
    stack: Stack, engine: Engine
) -> None:
    stack.run(f"/room create Standup <@{BEN}>")
    stack.run(f"/room create Retro <@{BEN}>")
    events = recorded(engine, Action.IDENTITY_PROVISIONED)
    assert sorted(e.detail["slack_user"] for e in events) == [ANA, BEN]
    assert {e.actor_id for e in events} == {None}


def test_extending_records_the_window_before_and_after(stack: Stack, engine: Engine) -> None:
    stack.run("/room create Standup")
    stack.run("/room extend #1 by 30m")
    event = only(engine, Action.ROOM_EXTENDED)
    (start_before, end_before), (start_after, end_after) = (
        window_of(event.before),
        window_of(event.after),
    )
    assert start_after == start_before
    assert end_after - end_before == timedelta(minutes=30)


def test_rescheduling_is_recorded_once(stack: Stack, engine: Engine) -> None:
    stack.run("/room create Standup")
    stack.run("/room reschedule #1 from tomorrow 10:00 for 2h")
    event = only(engine, Action.ROOM_RESCHEDULED)
    start, end = window_of(event.after)
    assert end - start == timedelta(hours=2)
    assert window_of(event.before) != (start, end)


def test_switching_pstn_records_it_off_before_and_on_after(stack: Stack, engine: Engine) -> None:
    stack.run("/room create Standup")
    stack.run("/room pstn #1 on")
    event = only(engine, Action.PSTN_CHANGED)
    assert event.before is not None
    assert event.after is not None
    assert (event.before["pstn_dial_out_enabled"], event.after["pstn_dial_out_enabled"]) == (
        False,
        True,
    )


def test_inviting_records_the_roster_by_role_before_and_after(stack: Stack, engine: Engine) -> None:
    stack.run("/room create Standup")
    stack.run(f"/room invite #1 <@{CHO}> as consumer")
    event = only(engine, Action.PARTICIPANTS_ADDED)
    assert event.before is not None
    assert event.after is not None
    assert event.before["roster"] == {"Presenter": [ANA]}
    assert event.after["roster"] == {"Presenter": [ANA], "Consumer": [CHO]}
    assert event.detail["people"] == f"{CHO}:Consumer"


def test_changing_a_role_is_recorded_as_a_re_role(stack: Stack, engine: Engine) -> None:
    stack.run(f"/room create Standup <@{BEN}>")
    stack.run(f"/room role #1 <@{BEN}> presenter")
    event = only(engine, Action.PARTICIPANTS_REROLED)
    assert event.after is not None
    assert event.after["roster"] == {"Presenter": [ANA, BEN]}


def test_removing_people_is_recorded_once(stack: Stack, engine: Engine) -> None:
    stack.run(f"/room create Standup <@{BEN}>")
    stack.run(f"/room remove #1 <@{BEN}>")
    event = only(engine, Action.PARTICIPANTS_REMOVED)
    assert event.after is not None
    assert event.after["roster"] == {"Presenter": [ANA]}


def test_deleting_through_the_confirm_button_records_the_state_change(
    stack: Stack, engine: Engine
) -> None:
    stack.run("/room create Standup")
    stack.run("/room delete #1")
    stack.press("Delete", 1)
    event = only(engine, Action.ROOM_DELETED)
    assert event.before is not None
    assert event.after is not None
    assert (event.before["state"], event.after["state"]) == ("active", "deleted")


def test_a_refused_change_is_recorded_as_denied_with_the_reason(
    stack: Stack, engine: Engine
) -> None:
    stack.run("/room create Standup")
    stack.run("/room extend #1 by 1h", user="ben")
    event = only(engine, Action.ROOM_EXTENDED)
    assert (event.actor_id, event.outcome, event.room_number) == (BEN, Outcome.DENIED, 1)
    assert event.reason is not None
    assert "Only the organizer" in event.reason
    assert event.after is None


def test_a_change_that_fails_is_recorded_as_failed(stack: Stack, engine: Engine) -> None:
    stack.run("/room create Standup")
    stack.run("/room extend #7 by 1h")
    event = only(engine, Action.ROOM_EXTENDED)
    assert (event.outcome, event.room_number) == (Outcome.FAILED, 7)
    assert "can't find room #7" in (event.reason or "")
