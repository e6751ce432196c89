"""`/room audit` through the real app: who may read it, and what each filter keeps."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from bot.services.attempts import Action, Outcome
from bot.services.audit.actions import AuditAction
from tests.bot.audit.helpers import ANA, BEN, CHO, DEMO, OTHER, only, recorded, shown
from tests.support.slack_stack import Stack


def two_rooms(stack: Stack) -> None:
    stack.run(f"/room create Standup <@{BEN}>")
    stack.run("/room create Retro")
    stack.run("/room extend #2 by 1h")


def test_an_admin_sees_the_latest_events_newest_first(stack: Stack) -> None:
    two_rooms(stack)
    stack.run("/room audit")
    actions = [action for action, _room in shown(stack)]
    assert actions[:2] == [Action.ROOM_EXTENDED, Action.ROOM_CREATED]
    assert "Audit trail: 5 events" in stack.last_reply()


def test_someone_who_is_not_an_admin_is_refused_and_told_who_can(stack: Stack) -> None:
    two_rooms(stack)
    stack.run("/room audit", user="ben")
    assert "Only workspace admins and owners" in stack.last_reply("ben")
    assert shown(stack, "ben") == []


def test_a_refused_read_is_itself_recorded_as_denied(stack: Stack, engine: Engine) -> None:
    stack.run("/room audit #3", user="ben")
    event = only(engine, AuditAction.AUDIT_READ)
    assert (event.actor_id, event.outcome) == (BEN, Outcome.DENIED)
    assert "ROOMBOT_ADMINS" in (event.reason or "")


def test_a_roombot_admin_who_is_no_workspace_admin_may_read(stack: Stack) -> None:
    two_rooms(stack)
    stack.run("/room audit", user="eve")
    assert len(shown(stack, "eve")) == 5


def test_a_room_filter_keeps_only_that_rooms_events(stack: Stack) -> None:
    two_rooms(stack)
    stack.run("/room audit #2")
    assert shown(stack) == [(Action.ROOM_EXTENDED, 2), (Action.ROOM_CREATED, 2)]


def test_a_room_may_be_named_by_its_title(stack: Stack) -> None:
    two_rooms(stack)
    stack.run('/room audit "Standup"')
    assert shown(stack) == [(Action.ROOM_CREATED, 1)]


def test_a_people_filter_keeps_what_they_did_and_what_named_them(stack: Stack) -> None:
    two_rooms(stack)
    stack.run("/room extend #1 by 1h", user="ben")  # denied, done by ben
    stack.run(f"/room invite #2 <@{CHO}>")  # names cho only
    stack.run(f"/room audit <@{BEN}>")
    assert shown(stack) == [
        (Action.ROOM_EXTENDED, 1),
        (Action.ROOM_CREATED, 1),
        (Action.IDENTITY_PROVISIONED, None),
    ]


def test_a_since_filter_leaves_out_older_events(stack: Stack, engine: Engine) -> None:
    old = stack.services.clock() - timedelta(days=3)
    assert stack.services.audit is not None
    stack.services.audit.record(DEMO, action=AuditAction.REMINDER_SENT, room_number=1, at=old)
    stack.run("/room create Standup")
    stack.run("/room audit since yesterday")
    assert AuditAction.REMINDER_SENT not in [action for action, _ in shown(stack)]
    assert len(recorded(engine, AuditAction.REMINDER_SENT)) == 1


def test_an_action_filter_takes_a_short_word(stack: Stack) -> None:
    two_rooms(stack)
    stack.run("/room audit action extend")
    assert shown(stack) == [(Action.ROOM_EXTENDED, 2)]


def test_an_action_filter_takes_a_full_action_name(stack: Stack) -> None:
    two_rooms(stack)
    stack.run("/room audit action room.created")
    assert shown(stack) == [(Action.ROOM_CREATED, 2), (Action.ROOM_CREATED, 1)]


def test_an_unknown_action_is_explained_with_the_words_to_use(stack: Stack) -> None:
    stack.run("/room audit action launch")
    assert "I don't know the action “launch”" in stack.last_reply()
    assert "delete" in stack.last_reply()


def test_filters_combine(stack: Stack) -> None:
    two_rooms(stack)
    stack.run("/room audit #1 action create since yesterday")
    assert shown(stack) == [(Action.ROOM_CREATED, 1)]


def test_an_admin_never_sees_another_workspaces_events(stack: Stack) -> None:
    assert stack.services.audit is not None
    stack.services.audit.record(OTHER, actor_id=CHO, action=Action.ROOM_DELETED, room_number=1)
    stack.run("/room create Standup")
    stack.run("/room audit #1")
    assert Action.ROOM_DELETED not in [action for action, _ in shown(stack)]


def test_an_admin_of_another_workspace_sees_none_of_this_ones(stack: Stack) -> None:
    stack.run("/room create Standup")
    stack.session.slack.team_id = OTHER.team_id
    stack.run("/room audit")
    assert shown(stack) == []
    assert "nothing matches" in stack.last_reply()
    assert ANA  # ana is an admin in both: the store's scope is what keeps them apart
