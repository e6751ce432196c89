"""RoomBot's Event Grid webhook, as Event Grid calls it: the handshakes, the secret, and calling
events applied once each to the room call they name, in whatever order and however often they
come; other calls ignored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import select

from bot.services.access import Actor
from bot.services.domain import RoomKey, Workspace
from bot.services.uow import unit_of_work
from storage.models import CallAttendeeRow, RoomCallRow
from tests.bot.calls.conftest import ANA, BEN, CHO, SECRET, TEAM, Hook

FIXTURES = Path(__file__).parent / "fixtures"
WORKSPACE = Workspace("", TEAM)


def calls(hook: Hook) -> list[RoomCallRow]:
    with unit_of_work(hook.services.rooms._engine) as session:
        return list(session.exec(select(RoomCallRow).order_by(RoomCallRow.id)))


def attendees(hook: Hook) -> list[tuple[str | None, bool, bool]]:
    """(Slack user, joined, left) per attendee row."""
    with unit_of_work(hook.services.rooms._engine) as session:
        rows = session.exec(select(CallAttendeeRow).order_by(CallAttendeeRow.id))
        return [(r.slack_user_id, r.joined_at is not None, r.left_at is not None) for r in rows]


def audited(hook: Hook) -> list[tuple[str, str | None]]:
    assert hook.services.audit is not None
    events = hook.services.audit.latest(WORKSPACE, Actor("U0ADMIN", is_admin=True), limit=50)
    return sorted((e.action, e.actor_id) for e in events if e.action.startswith("call."))


def status(hook: Hook) -> Any:
    return hook.services.rooms.get(WORKSPACE, RoomKey(number=hook.room.number)).call


def test_the_subscription_handshake_is_answered_with_its_code(hook: Hook) -> None:
    fixture = json.loads((FIXTURES / "validation_event.json").read_text())
    answer = hook.client.post(
        f"/acs/events?code={SECRET}",
        json=fixture,
        headers={"aeg-event-type": "SubscriptionValidation"},
    )
    assert answer.status_code == 200
    assert answer.get_json() == {"validationResponse": fixture[0]["data"]["validationCode"]}


def test_the_cloudevents_handshake_names_the_allowed_origin(hook: Hook) -> None:
    answer = hook.client.options(
        f"/acs/events?code={SECRET}", headers={"WebHook-Request-Origin": "eventemitter.example.com"}
    )
    assert answer.status_code == 200
    assert answer.headers["WebHook-Allowed-Origin"] == "eventemitter.example.com"
    assert hook.client.options("/acs/events?code=wrong").status_code == 401


def test_a_wrong_or_missing_secret_is_refused_and_nothing_runs(hook: Hook) -> None:
    started = hook.event("started")
    assert hook.post(started, code="not-the-secret-at-all-000").status_code == 401
    assert hook.post(started, code=None).status_code == 401
    assert hook.post(started, code="").status_code == 401
    assert calls(hook) == []
    assert hook.wakes == []
    assert hook.post(started).status_code == 200  # the same event, with the secret: applied
    assert len(calls(hook)) == 1


def test_an_unreadable_delivery_is_a_bad_request(hook: Hook) -> None:
    answer = hook.client.post(f"/acs/events?code={SECRET}", data=b"{not json")
    assert answer.status_code == 400
    assert answer.get_json() == {"error": "bad_request"}


def test_a_whole_call_is_recorded_with_who_came_and_went(hook: Hook) -> None:
    hook.post(hook.event("started"))
    hook.post(hook.event("added", 0, who=ANA))
    hook.post(hook.event("added", 1, who=BEN))
    live = status(hook)
    assert live.live
    assert live.in_call == (ANA, BEN)
    hook.post(hook.event("added", 2, who=CHO))
    hook.post(hook.event("removed", 30, who=BEN))
    assert status(hook).in_call == (ANA, CHO)
    hook.post(hook.event("removed", 44, who=CHO))
    hook.post(hook.event("removed", 45, who=ANA))
    hook.post(hook.event("ended", 45, duration=2700.4))
    over = status(hook)
    assert not over.live
    assert over.in_call == ()
    assert over.people == 3
    assert round(over.duration_seconds) == 2700
    assert over.started_at == hook.start
    assert attendees(hook) == [(ANA, True, True), (BEN, True, True), (CHO, True, True)]
    assert audited(hook) == [("call.ended", None), ("call.started", ANA)]
    assert len(hook.wakes) == 8


def test_a_repeated_delivery_changes_nothing(hook: Hook) -> None:
    joined = hook.event("added", 1, who=BEN)
    first = hook.post(hook.event("started"), joined)
    assert first.get_json() == {"applied": 2, "repeats": 0, "ignored": 0}
    again = hook.post(joined)
    assert again.get_json() == {"applied": 0, "repeats": 1, "ignored": 0}
    assert attendees(hook) == [(BEN, True, False)]
    assert calls(hook)[0].version == 2
    assert audited(hook) == [("call.started", ANA)]


def test_events_out_of_order_make_the_same_record(hook: Hook) -> None:
    # Ben's leaving and the end arrive before his joining and the start.
    hook.post(hook.event("removed", 20, who=BEN))
    hook.post(hook.event("ended", 21, duration=1260))
    hook.post(hook.event("added", 1, who=BEN))
    hook.post(hook.event("started", 0))
    over = status(hook)
    assert not over.live
    assert over.started_at == hook.start
    assert over.people == 1
    assert attendees(hook) == [(BEN, True, True)]
    assert audited(hook) == [("call.ended", None), ("call.started", None)]


def test_a_late_join_after_the_end_does_not_bring_the_call_back(hook: Hook) -> None:
    hook.post(hook.event("started"), hook.event("ended", 10, duration=600))
    hook.post(hook.event("added", 5, who=CHO))
    over = status(hook)
    assert not over.live
    assert over.people == 1


def test_calls_that_are_not_roombot_rooms_of_installed_workspaces_are_ignored(
    hook: Hook,
) -> None:
    not_rooms = hook.event("started", room_id=None, call="group-call")
    unknown = hook.event("started", room_id="99999999999999999", call="other-room")
    answer = hook.post(not_rooms, unknown)
    assert answer.status_code == 200
    assert answer.get_json() == {"applied": 0, "repeats": 0, "ignored": 2}
    hook.installed.clear()  # the workspace uninstalled RoomBot
    assert hook.post(hook.event("started")).get_json()["ignored"] == 1
    assert calls(hook) == []


def test_someone_the_identity_map_does_not_know_is_a_guest(hook: Hook) -> None:
    stranger = "8:acs:00000000-0000-0000-0000-000000000000_0000000c-aaaa-bbbb-cccc-000000000001"
    hook.post(hook.event("started"), hook.event("added", 1, user=stranger, participant_id="g1"))
    live = status(hook)
    assert live.in_call == ()
    assert live.guests_in_call == 1


def _fixture_events(name: str, hook: Hook, user: str) -> list[dict[str, Any]]:
    """A Microsoft example, about our room and our people: its placeholders and identities
    replaced, the rest as documented."""
    text = (FIXTURES / name).read_text()
    events = json.loads(text)
    events = events if isinstance(events, list) else [events]
    for event in events:
        # The REST spec's examples share one id between different events; Event Grid's are
        # unique, and the webhook dedupes by id.
        event["id"] = f"{name}:{event['id']}"
        data = event["data"]
        data["room"] = {"id": hook.room.acs_room_id}
        data["isRoomsCall"] = True
        data["serverCallId"] = "documented-call"
        for party in ("startedBy", "user"):
            if party in data:
                data[party] = _with_raw_id(data[party], hook.raw(user))
    return events


def _with_raw_id(party: dict[str, Any], raw_id: str) -> dict[str, Any]:
    text = json.dumps(party)
    for key in ("rawId", "id"):
        for found in set(_values(party, key)):
            text = text.replace(found, raw_id)
    return dict(json.loads(text))


def _values(tree: Any, key: str) -> list[str]:
    if isinstance(tree, dict):
        here = [v for k, v in tree.items() if k == key and isinstance(v, str)]
        return here + [x for v in tree.values() for x in _values(v, key)]
    return []


def test_the_documented_shapes_of_both_pages_make_one_record(hook: Hook) -> None:
    """The Learn page's examples (identifier inline, durationOfCall) and the REST spec's
    (communicationIdentifier, callDurationInSeconds, CloudEvents keys) read alike."""
    for name in ("docs_call_started.json", "docs_call_participant_added.json"):
        assert hook.post(*_fixture_events(name, hook, BEN)).get_json()["applied"] == 1
    assert status(hook).in_call == (BEN,)
    for name in ("spec_egs_call_participant_removed.json", "spec_egs_call_ended.json"):
        events = _fixture_events(name, hook, BEN)
        assert hook.post(*events).get_json()["applied"] == 1, name
    over = status(hook)
    assert not over.live
    assert over.people == 1
