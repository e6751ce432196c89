"""The join page's checks: a token for the person's own identity, only on the roster, only
while the room is open, and a link of another workspace leads nowhere."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import timedelta

import pytest

from bot.services.container import Services
from bot.services.domain import Role, RoomDetails, Workspace
from bot.services.joining import Joiner, JoinRefused, JoinService, Refusal
from bot.services.new_room import NewRoom

WS = Workspace(enterprise_id="", team_id="T1")


def make_room(services: Services, *, starts_in: timedelta = timedelta(0)) -> RoomDetails:
    now = services.clock()
    request = NewRoom(
        workspace=WS,
        organizer_id="U1",
        title="Sync",
        valid_from=now + starts_in,
        valid_until=now + starts_in + timedelta(hours=1),
        members={"U1": Role.PRESENTER, "U2": Role.CONSUMER},
        pstn_dial_out_enabled=False,
        channel_id="C1",
        creation_key=uuid.uuid4().hex,
    )
    return services.rooms.create(request).room


def joining(services: Services) -> JoinService:
    assert services.joining is not None
    return services.joining


def claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_a_person_on_the_roster_gets_a_token_for_their_own_identity(services: Services) -> None:
    room = make_room(services)
    grant = joining(services).grant(room.join_key, Joiner(WS, "U2"))
    consumer = next(m for m in room.members if m.slack_user_id == "U2")
    assert (grant.role, grant.acs_user_id, grant.room.acs_room_id) == (
        "Consumer",
        consumer.acs_id,
        room.acs_room_id,
    )
    assert claims(grant.token.token)["skypeid"] == consumer.acs_id.removeprefix("8:")
    assert grant.token.token not in repr(grant)


@pytest.mark.parametrize(
    ("joiner", "reason"),
    [
        (Joiner(WS, "U9"), Refusal.NOT_INVITED),
        (Joiner(Workspace("", "T2"), "U2"), Refusal.NO_ROOM),
    ],
)
def test_no_token_for_someone_off_the_roster_or_from_another_workspace(
    services: Services, joiner: Joiner, reason: Refusal
) -> None:
    room = make_room(services)
    with pytest.raises(JoinRefused) as refused:
        joining(services).grant(room.join_key, joiner)
    assert refused.value.reason is reason


def test_no_token_before_the_room_opens(services: Services) -> None:
    room = make_room(services, starts_in=timedelta(hours=2))
    with pytest.raises(JoinRefused) as refused:
        joining(services).grant(room.join_key, Joiner(WS, "U2"))
    assert refused.value.reason is Refusal.NOT_YET_OPEN


def test_an_unknown_join_key_leads_to_no_room(services: Services) -> None:
    with pytest.raises(JoinRefused) as refused:
        joining(services).room("nonexistent-key-000000")
    assert refused.value.reason is Refusal.NO_ROOM
