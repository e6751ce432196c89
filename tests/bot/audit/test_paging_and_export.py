"""Paging through the trail with the real Next/Previous buttons, and exporting it as CSV."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Engine

from bot.blocks import ids
from bot.console.surfaces import find_surface
from bot.services.attempts import Action, Outcome
from bot.services.audit.actions import AuditAction
from bot.services.audit.events import CSV_HEADER
from tests.bot.audit.helpers import ANA, BEN, DEMO, buttons, only, shown
from tests.support.slack_stack import Stack


def twenty_five_events(stack: Stack) -> None:
    """Rooms #1..#25 extended once each; every third one a reminder instead."""
    assert stack.services.audit is not None
    for number in range(1, 26):
        action = AuditAction.REMINDER_SENT if number % 3 == 0 else Action.ROOM_EXTENDED
        stack.services.audit.record(DEMO, actor_id=ANA, action=action, room_number=number)


def rooms_shown(stack: Stack) -> list[int | None]:
    return [room for _action, room in shown(stack)]


def exported(stack: Stack) -> list[list[str]]:
    """The rows of the CSV file RoomBot uploaded last, header first."""
    completed = stack.standin.calls("files.completeUploadExternal")[-1]
    uploaded = stack.standin.file(completed.args["files"][0]["id"])
    assert uploaded is not None
    assert uploaded.data is not None
    return list(csv.reader(io.StringIO(uploaded.data.decode())))


def test_the_first_page_shows_the_ten_newest_with_next_and_export(stack: Stack) -> None:
    twenty_five_events(stack)
    stack.run("/room audit")
    assert rooms_shown(stack) == list(range(25, 15, -1))
    assert buttons(stack) == ["Next", "Export CSV", "Export attendance"]


def test_next_replaces_the_page_with_the_ten_before_it(stack: Stack) -> None:
    twenty_five_events(stack)
    stack.run("/room audit")
    stack.press("Next")
    assert rooms_shown(stack) == list(range(15, 5, -1))
    assert buttons(stack) == ["Previous", "Next", "Export CSV", "Export attendance"]
    assert len(stack.standin.ephemerals("ana")) == 1


def test_the_last_page_has_no_next(stack: Stack) -> None:
    twenty_five_events(stack)
    stack.run("/room audit")
    stack.press("Next")
    stack.press("Next")
    assert rooms_shown(stack) == [5, 4, 3, 2, 1]
    assert buttons(stack) == ["Previous", "Export CSV", "Export attendance"]


def test_previous_goes_back_to_the_newer_page(stack: Stack) -> None:
    twenty_five_events(stack)
    stack.run("/room audit")
    stack.press("Next")
    stack.press("Next")
    stack.press("Previous")
    assert rooms_shown(stack) == list(range(15, 5, -1))


def test_the_buttons_keep_the_filters(stack: Stack) -> None:
    twenty_five_events(stack)
    for number in range(26, 40):
        assert stack.services.audit is not None
        stack.services.audit.record(DEMO, action=AuditAction.REMINDER_SENT, room_number=number)
    stack.run("/room audit action reminder since yesterday")
    stack.press("Next")
    assert rooms_shown(stack) == [29, 28, 27, 26, 24, 21, 18, 15, 12, 9]


def test_a_page_turn_that_new_events_would_shift_stays_put(stack: Stack) -> None:
    twenty_five_events(stack)
    stack.run("/room audit")
    stack.run("/room create Standup")  # new events on top while the page is open
    stack.press("Next")
    assert rooms_shown(stack) == list(range(15, 5, -1))


def test_export_sends_every_matching_event_to_the_admins_dm_as_csv(stack: Stack) -> None:
    twenty_five_events(stack)
    stack.run("/room audit action extend")
    stack.press("Export CSV")
    completed = stack.standin.calls("files.completeUploadExternal")[-1]
    assert completed.args["channel_id"] == stack.standin.workspace.open_dm(ANA).id
    rows = exported(stack)
    assert tuple(rows[0]) == CSV_HEADER
    assert [int(row[8]) for row in rows[1:]] == [n for n in range(1, 26) if n % 3]
    assert {row[5] for row in rows[1:]} == {Action.ROOM_EXTENDED}


def test_the_csv_rows_carry_every_field(stack: Stack) -> None:
    stack.run("/room create Standup")
    stack.run("/room extend #1 by 1h", user="ben")
    stack.run("/room audit action extend")
    stack.press("Export CSV")
    row = dict(zip(CSV_HEADER, exported(stack)[1], strict=True))
    assert (row["team_id"], row["actor"], row["action"]) == ("T0DEMO", BEN, "room.extended")
    assert (row["outcome"], row["room"]) == ("denied", "1")
    assert row["reason"].startswith("Only the organizer")


def test_the_export_tells_the_admin_and_is_itself_recorded(stack: Stack, engine: Engine) -> None:
    twenty_five_events(stack)
    stack.run("/room audit #4")
    stack.press("Export CSV")
    assert "1 event" in stack.last_reply()
    event = only(engine, AuditAction.AUDIT_EXPORTED)
    assert (event.actor_id, event.detail["room"], event.detail["rows"]) == (ANA, "#4", "1")


def test_a_button_replayed_by_someone_who_is_not_an_admin_is_refused(
    stack: Stack, engine: Engine
) -> None:
    twenty_five_events(stack)
    stack.run("/room audit")
    surface = find_surface(stack.standin, "ana", "C0GENERAL", "Export CSV", None)
    assert surface is not None
    stack.session.slack.press(
        user_id=BEN,
        action=surface.action,
        container=surface.container,
        trigger_id=stack.standin.new_trigger_id(BEN),
        response_url=stack.standin.new_response_url("C0GENERAL", BEN),
    )
    stack.session.settle()
    assert "Only workspace admins and owners" in stack.last_reply("ben")
    assert stack.standin.calls("files.completeUploadExternal") == []
    assert only(engine, AuditAction.AUDIT_READ).outcome is Outcome.DENIED


def test_a_tampered_button_value_is_refused(stack: Stack) -> None:
    stack.session.slack.press(
        user_id=ANA,
        action={"type": "button", "action_id": ids.AUDIT_NEXT, "value": '{"o":"x"}'},
        container={"container": {"type": "message"}, "channel": {"id": "C0GENERAL"}},
        trigger_id=stack.standin.new_trigger_id(ANA),
        response_url=stack.standin.new_response_url("C0GENERAL", ANA),
    )
    stack.session.settle()
    assert "That button no longer works" in stack.last_reply()
