"""A room's call told to Slack, as the stand-in records it: the card's live line, then the last
call; the Slack call (calls.add with the join page, its call block in the card's thread,
participants coming and going, calls.end with the duration); one card update a second under a
burst of joins; and the card alone for a workspace that did not grant the Calls scopes."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from pydantic import SecretStr
from slack_sdk import WebClient
from sqlalchemy import Engine

from acs_emulator import RunningEmulator
from bot.background.live_call_loop import LiveCallLoop
from bot.services.container import Services
from bot.services.domain import RoomDetails, RoomKey, Workspace
from bot.web.events_hook import events_app
from slack_standin import RunningStandin
from tests.bot.listeners.conftest import console_stack
from tests.support.calling_events import body, calling_event
from tests.support.slack_stack import Stack

PUBLIC = "https://roombot.example.com"
SECRET = "eventgrid-secret-for-live-tests-01"


class Instance:
    """One RoomBot instance's live-call parts on `services`: its Event Grid webhook (Flask's
    test client) and its live-call loop, posting to the stand-in."""

    def __init__(self, services: Services, standin: RunningStandin) -> None:
        assert services.call_intake is not None
        assert services.call_sync is not None
        team = standin.workspace.team_id
        self.client: FlaskClient = events_app(
            services.call_intake, [SECRET], lambda ws: ws.team_id == team, self.wake
        ).test_client()
        slack = WebClient(token=standin.bot_token, base_url=standin.base_url)
        self.loop = LiveCallLoop(
            services.call_sync,
            lambda _workspace: slack,
            services.join_links,
            clock=services.clock,
            owner_id=f"instance-{uuid.uuid4().hex[:6]}",
            poll_seconds=0.2,
        )

    def wake(self) -> None:
        self.loop.wake()


class Live(Instance):
    """The console's stack with one instance's live-call parts: events in, Slack out."""

    def __init__(self, stack: Stack) -> None:
        super().__init__(stack.services, stack.standin)
        self.stack, self.standin = stack, stack.standin
        self.call = f"call-{uuid.uuid4().hex[:8]}"

    def room(self, number: int = 1) -> RoomDetails:
        workspace = Workspace("", self.standin.workspace.team_id)
        return self.stack.services.rooms.get(workspace, RoomKey(number=number))

    def raw(self, name: str) -> str:
        user = self.standin.workspace.user(name).id
        return next(m.acs_id for m in self.room().members if m.slack_user_id == user)

    def send(self, kind: str, who: str | None = None, *, minutes: float = 0, **more: Any) -> None:
        event = self.event(kind, who, minutes=minutes, **more)
        answer = self.client.post(f"/acs/events?code={SECRET}", data=body(event))
        assert answer.status_code == 200, answer.get_data(as_text=True)

    def event(
        self, kind: str, who: str | None = None, *, minutes: float = 0, **more: Any
    ) -> dict[str, Any]:
        room = self.room()
        at = room.valid_from + timedelta(minutes=minutes)
        if who is not None:
            more.setdefault("user", self.raw(who))
            more.setdefault("participant_id", f"{self.call}-{who}")
            more.setdefault("name", who.capitalize())
        return calling_event(
            kind, room_id=room.acs_room_id, call=self.call, at=at, starter=self.raw("ana"), **more
        )

    def card(self) -> dict[str, Any]:
        return self.stack.channel_messages()[0]

    def card_text(self) -> str:
        return " ".join(
            str(e.get("text", ""))
            for b in self.card()["blocks"]
            if b["type"] == "context"
            for e in b["elements"]
        )

    def until(self, check: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, "timed out"
            time.sleep(0.02)

    def updates(self) -> list[float]:
        """When each chat.update of the card reached Slack."""
        card_ts = self.card()["ts"]
        return [c.at for c in self.standin.calls("chat.update") if c.args.get("ts") == card_ts]


@pytest.fixture
def live(engine: Engine, emulator: RunningEmulator, standin: RunningStandin) -> Iterator[Live]:
    settings = {
        "roombot_public_url": PUBLIC,
        "roombot_session_secret": SecretStr("session-secret-for-live-tests-0123456789"),
        "roombot_eventgrid_secret": SecretStr(SECRET),
    }
    with console_stack(engine, emulator, standin, **settings) as stack:
        stack.run("/room create Design crit for 1h @ben @cho")
        it = Live(stack)
        it.loop.start_in_thread()
        try:
            yield it
        finally:
            it.loop.stop()


def mention(live: Live, name: str) -> str:
    return f"<@{live.standin.workspace.user(name).id}>"


def test_a_whole_call_shows_live_on_the_card_and_as_a_slack_call(live: Live) -> None:
    live.send("started")
    live.send("added", "ana")
    live.send("added", "ben", minutes=1)
    live.until(lambda: "2 in the call" in live.card_text())
    assert f"{mention(live, 'ana')}, {mention(live, 'ben')}" in live.card_text()
    assert "Live" in live.card_text()

    room = live.room()
    external_id = f"{room.acs_room_id}:{live.call}"
    live.until(lambda: live.standin.slack_call_by_external_id(external_id) is not None)
    slack_call = live.standin.slack_call_by_external_id(external_id)
    assert slack_call is not None
    assert slack_call.join_url == f"{PUBLIC}/r/{room.join_key}"
    assert slack_call.created_by == live.standin.workspace.user("ana").id
    assert slack_call.title == "Design crit"
    assert slack_call.date_start == int(room.valid_from.timestamp())
    live.until(lambda: len(live.standin.slack_call(slack_call.id).participant_ids) == 2)  # type: ignore[union-attr]
    in_thread = [
        m for m in live.stack.channel_messages() if m.get("thread_ts") == live.card()["ts"]
    ]
    assert any(
        b == {"type": "call", "call_id": slack_call.id} or b.get("call_id") == slack_call.id
        for m in in_thread
        for b in m.get("blocks", [])
    )

    live.send("added", "cho", minutes=2)
    live.send("removed", "ben", minutes=20)
    live.until(
        lambda: "2 in the call" in live.card_text() and mention(live, "cho") in live.card_text()
    )
    live.until(
        lambda: (
            sorted(live.standin.slack_call(slack_call.id).participant_ids)  # type: ignore[union-attr]
            == sorted(live.standin.workspace.user(n).id for n in ("ana", "cho"))
        )
    )

    live.send("removed", "cho", minutes=44)
    live.send("removed", "ana", minutes=45)
    live.send("ended", minutes=45, duration=2700)
    live.until(lambda: "Last call" in live.card_text())
    assert "45 min, 3 people" in live.card_text()
    live.until(lambda: live.standin.slack_call(slack_call.id).ended)  # type: ignore[union-attr]
    ended = live.standin.slack_call(slack_call.id)
    assert ended is not None
    assert ended.ended
    assert ended.duration == 2700
    assert len(live.standin.calls("calls.add")) == 1
    assert len(live.standin.calls("calls.end")) == 1


def test_a_burst_of_fifty_joins_is_one_card_update_a_second(live: Live) -> None:
    live.send("started")
    live.send("added", "ana")
    live.until(lambda: "1 in the call" in live.card_text())
    began = time.monotonic()
    for index in range(50):
        live.send(
            "added",
            user=f"8:acs:guest_{index:04d}",
            participant_id=f"g{index}",
            name=f"Guest {index}",
        )
    sending = time.monotonic() - began  # ~0.5 s; longer on a loaded machine
    live.until(lambda: "51 in the call" in live.card_text())
    stamps = live.updates()
    gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
    # The first join's update, then at most one a second while the burst arrives, and the last.
    assert len(stamps) <= 3 + int(sending), (stamps, sending)
    assert all(gap >= 0.95 for gap in gaps), gaps


def test_a_workspace_without_the_calls_scopes_still_gets_the_live_card(live: Live) -> None:
    live.standin.workspace.withhold_scopes("calls:write", "calls:read")
    live.send("started")
    live.send("added", "ben")
    live.until(lambda: "1 in the call" in live.card_text())
    live.send("removed", "ben", minutes=5)
    live.send("ended", minutes=5, duration=300)
    live.until(lambda: "Last call" in live.card_text())
    assert live.standin.slack_calls() == []
    assert [c.error for c in live.standin.calls("calls.add")] == ["missing_scope"]
