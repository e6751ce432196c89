"""The emulator-only calling surface for the demo adapter, and the calling events it publishes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
import requests
from azure.communication.identity import CommunicationTokenScope, CommunicationUserIdentifier
from azure.communication.rooms import ParticipantRole, RoomParticipant, RoomsClient

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator

EVENT = "Microsoft.Communication."


@pytest.fixture
def acs(clock: Any, receiver: Any) -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(clock=clock, event_grid_webhook=receiver.url)) as running:
        yield running


@pytest.fixture
def rooms_client(
    acs: RunningEmulator, make_rooms_client: Callable[..., RoomsClient]
) -> RoomsClient:
    return make_rooms_client(acs, retry_total=0)


@pytest.fixture
def user(acs: RunningEmulator, make_identity_client: Callable[..., Any]) -> Callable[..., Any]:
    """`user(scopes)` -> (raw id, token) of a new identity."""
    client = make_identity_client(acs, retry_total=0)

    def make(scopes: tuple[Any, ...] = (CommunicationTokenScope.VOIP,)) -> tuple[str, str]:
        identity, token = client.create_user_and_token(list(scopes))
        return identity.properties["id"], token.token

    return make


@pytest.fixture
def room_with(rooms_client: RoomsClient) -> Callable[..., str]:
    def make(
        *members: str, role: ParticipantRole = ParticipantRole.PRESENTER, **window: Any
    ) -> str:
        participants = [
            RoomParticipant(communication_identifier=CommunicationUserIdentifier(m), role=role)
            for m in members
        ]
        return str(rooms_client.create_room(participants=participants, **window).id)

    return make


def join(acs: RunningEmulator, room_id: str, token: str, name: str = "Ada") -> requests.Response:
    return requests.post(
        f"{acs.endpoint}/calling/rooms/{room_id}/join",
        json={"displayName": name},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )


def leave(acs: RunningEmulator, call_id: str, participant_id: str) -> requests.Response:
    url = f"{acs.endpoint}/calling/calls/{call_id}/participants/{participant_id}/leave"
    return requests.post(url, timeout=5)


def delivered(acs: RunningEmulator, receiver: Any) -> list[dict[str, Any]]:
    assert acs.event_grid.drain(5)
    return [n.events[0] for n in receiver.notifications()]


def test_join_then_leave_publishes_started_added_removed_ended_in_order(
    acs: RunningEmulator, receiver: Any, user: Callable[..., Any], room_with: Callable[..., str]
) -> None:
    raw_id, token = user()
    room_id = room_with(raw_id)

    joined = join(acs, room_id, token).json()
    assert leave(acs, joined["serverCallId"], joined["participantId"]).status_code == 204
    events = delivered(acs, receiver)

    assert joined["role"] == "Presenter"
    assert joined["participants"] == 1
    assert [e["eventType"].removeprefix(EVENT) for e in events] == [
        "CallStarted", "CallParticipantAdded", "CallParticipantRemoved", "CallEnded"
    ]  # fmt: skip
    started, added, _, ended = events
    call_id = joined["serverCallId"]
    assert started["subject"] == f"call/{call_id}/startedBy/{raw_id}"
    assert added["subject"] == f"call/{call_id}/participant/{raw_id}"
    assert ended["subject"] == f"call/{call_id}"
    assert started["data"]["startedBy"]["communicationIdentifier"]["rawId"] == raw_id
    assert started["data"]["room"] == {"id": room_id}
    assert started["data"]["isRoomsCall"] is True
    assert added["data"]["participantId"] == joined["participantId"]
    assert added["data"]["displayName"] == "Ada"
    assert added["data"]["user"]["role"] == "Presenter"
    assert ended["data"]["endedBy"]["communicationIdentifier"]["communicationUser"]["id"] == raw_id
    assert ended["data"]["callDurationInSeconds"] == 0.0  # the clock stood still
    assert {e["data"]["correlationId"] for e in events} == {started["data"]["correlationId"]}
    assert {e["eventTime"] for e in events} == {"2030-01-01T00:00:00.0000000Z"}
    assert {(e["dataVersion"], e["metadataVersion"]) for e in events} == {("1.0", "1")}


def test_a_second_join_joins_the_same_call_and_the_call_lists_both(
    acs: RunningEmulator, user: Callable[..., Any], room_with: Callable[..., str]
) -> None:
    (ada, ada_token), (bob, bob_token) = user(), user()
    room_id = room_with(ada, bob)

    first = join(acs, room_id, ada_token).json()
    second = join(acs, room_id, bob_token, "Bob").json()
    call = requests.get(
        f"{acs.endpoint}/calling/calls/{first['serverCallId']}",
        headers={"Authorization": f"Bearer {bob_token}"},
        timeout=5,
    ).json()

    assert second["serverCallId"] == first["serverCallId"]
    assert second["participants"] == 2
    assert call["roomId"] == room_id
    assert [(p["rawId"], p["displayName"]) for p in call["participants"]] == [
        (ada, "Ada"), (bob, "Bob")
    ]  # fmt: skip


def test_a_join_after_the_call_ended_starts_a_new_call(
    acs: RunningEmulator, user: Callable[..., Any], room_with: Callable[..., str]
) -> None:
    raw_id, token = user()
    room_id = room_with(raw_id)
    first = join(acs, room_id, token).json()
    leave(acs, first["serverCallId"], first["participantId"])

    again = join(acs, room_id, token).json()

    assert again["serverCallId"] != first["serverCallId"]


def test_leave_is_idempotent_and_unknown_participants_are_404(
    acs: RunningEmulator, user: Callable[..., Any], room_with: Callable[..., str]
) -> None:
    raw_id, token = user()
    joined = join(acs, room_with(raw_id), token).json()
    call_id, participant_id = joined["serverCallId"], joined["participantId"]

    assert leave(acs, call_id, participant_id).status_code == 204
    assert leave(acs, call_id, participant_id).status_code == 204
    assert leave(acs, call_id, "not-a-participant").status_code == 404


def test_an_unknown_room_is_refused_with_5732(
    acs: RunningEmulator, user: Callable[..., Any]
) -> None:
    _, token = user()

    answer = join(acs, "99000000000000001", token)

    assert (answer.status_code, answer.json()["error"]["subCode"]) == (404, 5732)


def test_a_room_outside_its_window_is_refused_with_5829(
    acs: RunningEmulator, clock: Any, user: Callable[..., Any], room_with: Callable[..., str]
) -> None:
    raw_id, token = user()
    room_id = room_with(raw_id, valid_from=clock.now + timedelta(days=1))

    answer = join(acs, room_id, token)

    assert (answer.status_code, answer.json()["error"]["subCode"]) == (403, 5829)


def test_an_identity_not_on_the_roster_is_refused_with_5828(
    acs: RunningEmulator, user: Callable[..., Any], room_with: Callable[..., str]
) -> None:
    member, _ = user()
    _, outsider_token = user()

    answer = join(acs, room_with(member), outsider_token)

    assert (answer.status_code, answer.json()["error"]["subCode"]) == (403, 5828)


@pytest.mark.parametrize("problem", ["missing", "tampered", "expired", "chat scope", "revoked"])
def test_a_bad_token_is_refused_with_4507(
    problem: str,
    acs: RunningEmulator,
    clock: Any,
    user: Callable[..., Any],
    room_with: Callable[..., str],
    make_identity_client: Callable[..., Any],
) -> None:
    scopes = (CommunicationTokenScope.CHAT,) if problem == "chat scope" else ()
    raw_id, token = user(scopes or (CommunicationTokenScope.VOIP,))
    room_id = room_with(raw_id)
    if problem == "missing":
        token = ""
    elif problem == "tampered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif problem == "expired":
        clock.now += timedelta(hours=25)
    elif problem == "revoked":
        clock.now += timedelta(seconds=1)
        make_identity_client(acs).revoke_tokens(CommunicationUserIdentifier(raw_id))

    answer = join(acs, room_id, token)

    assert (answer.status_code, answer.json()["error"]["subCode"]) == (401, 4507)


def test_preflight_and_answers_allow_any_origin(acs: RunningEmulator) -> None:
    preflight = requests.options(
        f"{acs.endpoint}/calling/rooms/1/join",
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
        timeout=5,
    )
    refused = requests.post(f"{acs.endpoint}/calling/rooms/1/join", timeout=5)

    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, POST"
    assert preflight.headers["Access-Control-Allow-Headers"] == "Authorization, Content-Type"
    assert int(preflight.headers["Access-Control-Max-Age"]) > 0
    assert refused.headers["Access-Control-Allow-Origin"] == "*"


def test_concurrent_joins_of_one_room_start_one_call(
    acs: RunningEmulator, receiver: Any, user: Callable[..., Any], room_with: Callable[..., str]
) -> None:
    people = [user() for _ in range(6)]
    room_id = room_with(*(raw_id for raw_id, _ in people))

    with ThreadPoolExecutor(len(people)) as pool:
        answers = list(pool.map(lambda p: join(acs, room_id, p[1]).json(), people))
    types = [e["eventType"].removeprefix(EVENT) for e in delivered(acs, receiver)]

    assert len({a["serverCallId"] for a in answers}) == 1
    assert sorted(a["participants"] for a in answers) == [1, 2, 3, 4, 5, 6]
    assert types == ["CallStarted"] + ["CallParticipantAdded"] * 6


def test_removal_from_the_roster_removes_them_from_the_call(
    acs: RunningEmulator,
    receiver: Any,
    rooms_client: RoomsClient,
    user: Callable[..., Any],
    room_with: Callable[..., str],
) -> None:
    (ada, ada_token), (bob, bob_token) = user(), user()
    room_id = room_with(ada, bob)
    join(acs, room_id, ada_token)
    join(acs, room_id, bob_token)

    rooms_client.remove_participants(
        room_id=room_id, participants=[CommunicationUserIdentifier(bob)]
    )
    last = delivered(acs, receiver)[-1]

    assert last["eventType"] == EVENT + "CallParticipantRemoved"
    assert last["data"]["user"]["communicationIdentifier"]["rawId"] == bob
    assert last["data"]["reason"]["subCode"] == 5317


def test_deleting_the_room_ends_its_call(
    acs: RunningEmulator,
    receiver: Any,
    rooms_client: RoomsClient,
    user: Callable[..., Any],
    room_with: Callable[..., str],
) -> None:
    raw_id, token = user()
    room_id = room_with(raw_id)
    joined = join(acs, room_id, token).json()

    rooms_client.delete_room(room_id)
    types = [e["eventType"].removeprefix(EVENT) for e in delivered(acs, receiver)]

    assert types[-2:] == ["CallParticipantRemoved", "CallEnded"]
    assert leave(acs, joined["serverCallId"], joined["participantId"]).status_code == 204


def test_the_webhook_can_be_set_on_the_running_emulator(
    receiver: Any, make_identity_client: Callable[..., Any], make_rooms_client: Callable[..., Any]
) -> None:
    with start_emulator(EmulatorConfig()) as late:
        late.set_event_grid_webhook(receiver.url)
        identity, token = make_identity_client(late).create_user_and_token(["voip"])
        room = make_rooms_client(late).create_room(
            participants=[RoomParticipant(communication_identifier=identity)]
        )
        join(late, room.id, token.token)

        assert late.event_grid.drain(5)
    assert [n.events[0]["eventType"] for n in receiver.notifications()][:1] == [
        EVENT + "CallStarted"
    ]
