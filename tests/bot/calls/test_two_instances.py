"""Two RoomBot instances on one database, each with its own engine, webhook and live-call loop,
both receiving every event (Event Grid delivering to each, or retrying to the other): every
effect happens once: one record, one audit entry each, one Slack call, each person added once."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from acs_emulator import RunningEmulator
from bot.services.access import Actor
from bot.services.domain import RoomKey, Workspace
from slack_standin import RunningStandin
from storage.engine import make_engine
from tests.bot.calls.test_live_card import PUBLIC, SECRET, Instance, Live
from tests.bot.listeners.conftest import console_stack
from tests.support.calling_events import body
from tests.support.slack_stack import Stack, make_services

SETTINGS = {
    "roombot_public_url": PUBLIC,
    "roombot_session_secret": SecretStr("session-secret-for-live-tests-0123456789"),
    "roombot_eventgrid_secret": SecretStr(SECRET),
}


def users(args: dict[str, Any]) -> list[dict[str, str]]:
    """`users` as slack_sdk sends it: a JSON-encoded list."""
    found = args["users"]
    return list(json.loads(found) if isinstance(found, str) else found)


@pytest.fixture
def pair(
    engine: Engine, engine_url: str, emulator: RunningEmulator, standin: RunningStandin
) -> Iterator[tuple[Stack, Instance, Instance]]:
    other_engine = make_engine(engine_url)
    with console_stack(engine, emulator, standin, **SETTINGS) as stack:
        stack.run("/room create Design crit for 1h @ben @cho")
        other = make_services(other_engine, emulator, **SETTINGS)
        first, second = Instance(stack.services, standin), Instance(other, standin)
        for instance in (first, second):
            instance.loop.start_in_thread()
        try:
            yield stack, first, second
        finally:
            for instance in (first, second):
                instance.loop.stop()
            other.close()


def deliver(instance: Instance, event: dict[str, Any], answers: list[int]) -> None:
    answer = instance.client.post(f"/acs/events?code={SECRET}", data=body(event))
    answers.append(answer.status_code)


def test_each_effect_happens_once_when_both_instances_get_every_event(
    pair: tuple[Stack, Instance, Instance],
) -> None:
    stack, first, second = pair
    live = Live(stack)  # builds the events; its own webhook and loop stay unused
    events = []
    for kind, who, minute in [
        ("started", None, 0),
        ("added", "ana", 0),
        ("added", "ben", 1),
        ("added", "cho", 2),
        ("removed", "ben", 10),
    ]:
        events.append(live.event(kind, who, minutes=minute))
    for event in events:
        answers: list[int] = []
        threads = [
            threading.Thread(target=deliver, args=(instance, event, answers))
            for instance in (first, second)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [200, 200]

    user = stack.standin.workspace.user
    live.until(lambda: "2 in the call" in live.card_text())
    room = live.room()
    slack_calls = stack.standin.slack_calls()
    assert len(slack_calls) == 1
    call = slack_calls[0]
    live.until(
        lambda: (
            stack.standin.slack_call(call.id).participant_ids  # type: ignore[union-attr]
            == [user("ana").id, user("cho").id]
        )
    )
    added = [
        u["slack_id"]
        for c in stack.standin.calls("calls.participants.add")
        if c.ok
        for u in users(c.args)
    ]
    removed = [
        u["slack_id"]
        for c in stack.standin.calls("calls.participants.remove")
        if c.ok
        for u in users(c.args)
    ]
    # Each person added once at most; Ben, gone by the time a sync saw him, may never have
    # been added (the Slack call shows who is in the call now), and is removed only if he was.
    assert sorted(added) == sorted({*added})
    assert {user("ana").id, user("cho").id} <= {*added}
    assert removed == ([user("ben").id] if user("ben").id in added else [])
    blocks = [
        m
        for m in stack.channel_messages()
        if any(b.get("type") == "call" for b in m.get("blocks", []))
    ]
    assert len(blocks) == 1

    ws = Workspace("", stack.standin.workspace.team_id)
    assert stack.services.audit is not None
    trail = stack.services.audit.latest(ws, Actor("U0ADMIN", is_admin=True), limit=50)
    assert [e.action for e in trail if e.action.startswith("call.")] == ["call.started"]
    shown = stack.services.rooms.get(ws, RoomKey(number=room.number)).call
    assert shown is not None
    assert shown.in_call == (user("ana").id, user("cho").id)
