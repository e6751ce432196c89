"""A RoomBot room with people on its roster, RoomBot's Event Grid webhook on real services
(the ACS emulator over loopback, a real database), and calling events to send it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.services.container import Services
from bot.services.domain import Role, RoomDetails, Workspace
from bot.services.new_room import NewRoom
from bot.web.events_hook import events_app
from tests.support.calling_events import body, calling_event
from tests.support.slack_stack import make_services

SECRET = "eventgrid-secret-for-tests-0123"
TEAM = "T0CALLS01"
ANA, BEN, CHO = "U0ANA00001", "U0BEN00002", "U0CHO00003"


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=5)) as running:
        yield running


@dataclass
class Hook:
    """The webhook as Event Grid reaches it, and the room its events are about."""

    client: FlaskClient
    services: Services
    room: RoomDetails
    installed: set[str] = field(default_factory=lambda: {TEAM})
    wakes: list[int] = field(default_factory=list)
    start: datetime = datetime(2026, 12, 7, 10, 2, tzinfo=UTC)

    def raw(self, user: str) -> str:
        return next(m.acs_id for m in self.room.members if m.slack_user_id == user)

    def event(
        self, kind: str, minute: float = 0, *, who: str | None = None, **more: Any
    ) -> dict[str, Any]:
        more.setdefault("call", "call-1")
        if who is not None:
            more.setdefault("user", self.raw(who))
            more.setdefault("participant_id", f"{more['call']}-{who}")
        return calling_event(
            kind,
            room_id=more.pop("room_id", self.room.acs_room_id),
            at=self.start + timedelta(minutes=minute),
            starter=more.pop("starter", self.raw(ANA)),
            **more,
        )

    def post(self, *events: dict[str, Any], code: str | None = SECRET) -> Any:
        query = "" if code is None else f"?code={code}"
        return self.client.post(
            f"/acs/events{query}",
            data=body(*events),
            headers={"aeg-event-type": "Notification"},
            content_type="application/json",
        )


def make_room(services: Services, members: dict[str, Role]) -> RoomDetails:
    now = services.clock()
    request = NewRoom(
        workspace=Workspace("", TEAM),
        organizer_id=ANA,
        title="Design crit",
        valid_from=now,
        valid_until=now + timedelta(hours=1),
        members=members,
        pstn_dial_out_enabled=False,
        channel_id=None,
        creation_key=uuid.uuid4().hex,
    )
    return services.rooms.create(request).room


@pytest.fixture
def hook(engine: Engine, emulator: RunningEmulator) -> Iterator[Hook]:
    services = make_services(engine, emulator)
    room = make_room(services, {ANA: Role.PRESENTER, BEN: Role.ATTENDEE, CHO: Role.ATTENDEE})
    installed: set[str] = {TEAM}
    wakes: list[int] = []
    assert services.call_intake is not None
    app = events_app(
        services.call_intake,
        [SECRET],
        lambda ws: ws.team_id in installed,
        lambda: wakes.append(1),
    )
    try:
        yield Hook(app.test_client(), services, room, installed, wakes)
    finally:
        services.close()
