"""nextLink paging for rooms and participants, through the SDK and raw (ACS_REST.md §0.2, §2.6)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from azure.communication.rooms import CommunicationUserIdentifier, RoomParticipant, RoomsClient

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator

ROOMS = "?api-version=2025-03-13"


@pytest.fixture
def small_pages() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(page_size=3)) as emulator:
        yield emulator


def test_sdk_lists_every_room_across_several_pages_despite_its_api_version_bug(
    make_rooms_client: Callable[..., RoomsClient], capsys: pytest.CaptureFixture[str]
) -> None:
    with start_emulator(EmulatorConfig(page_size=3, log_requests=True)) as emulator:
        rooms = make_rooms_client(emulator, retry_total=0)
        created = [rooms.create_room().id for _ in range(8)]
        capsys.readouterr()

        listed = [room.id for room in rooms.list_rooms()]

    log = capsys.readouterr().err.splitlines()
    assert listed == created[::-1]
    assert len(log) == 3  # pages of 3 + 3 + 2
    assert all("api-version=ApiVersion.V2025_03_13" in line for line in log[1:])


def test_sdk_lists_every_participant_across_several_pages_in_insertion_order(
    small_pages: RunningEmulator, make_rooms_client: Callable[..., RoomsClient]
) -> None:
    rooms = make_rooms_client(small_pages, retry_total=0)
    users = [CommunicationUserIdentifier(f"8:acs:paging_{n}") for n in range(7)]
    room = rooms.create_room(
        participants=[RoomParticipant(communication_identifier=u) for u in users]
    )

    listed = [p.communication_identifier.raw_id for p in rooms.list_participants(room.id)]

    assert listed == [user.raw_id for user in users]


def test_follow_up_with_the_python_sdk_enum_api_version_is_served(
    small_pages: RunningEmulator, make_raw
) -> None:
    raw = make_raw(small_pages)
    for _ in range(4):
        raw.send("POST", f"/rooms{ROOMS}", {})
    link = urlsplit(raw.send("GET", f"/rooms{ROOMS}").json()["nextLink"])
    token_part = link.query.split("&")[0]

    response = raw.send("GET", f"/rooms?{token_part}&api-version=ApiVersion.V2025_03_13")

    assert response.status_code == 200
    assert len(response.json()["value"]) == 1
    assert "nextLink" not in response.json()


def test_follow_up_without_api_version_is_served(small_pages: RunningEmulator, make_raw) -> None:
    raw = make_raw(small_pages)
    for _ in range(4):
        raw.send("POST", f"/rooms{ROOMS}", {})
    token_part = urlsplit(raw.send("GET", f"/rooms{ROOMS}").json()["nextLink"]).query.split("&")[0]

    assert raw.send("GET", f"/rooms?{token_part}").status_code == 200


def test_next_link_followed_verbatim_is_served(small_pages: RunningEmulator, make_raw) -> None:
    raw = make_raw(small_pages)
    for _ in range(4):
        raw.send("POST", f"/rooms{ROOMS}", {})
    link = urlsplit(raw.send("GET", f"/rooms{ROOMS}").json()["nextLink"])

    assert raw.send("GET", f"{link.path}?{link.query}").status_code == 200


def test_forged_continuation_token_is_400(raw) -> None:
    response = raw.send("GET", f"/rooms?nextLink=bm90LWEtdG9rZW4%3D{ROOMS.replace('?', '&')}")

    assert response.status_code == 400


def test_first_page_with_no_more_rooms_has_no_next_link(raw) -> None:
    raw.send("POST", f"/rooms{ROOMS}", {})

    page = raw.send("GET", f"/rooms{ROOMS}").json()

    assert list(page) == ["value"]


def test_deleted_rooms_are_not_listed(raw) -> None:
    kept, deleted = (raw.send("POST", f"/rooms{ROOMS}", {}).json()["id"] for _ in range(2))
    raw.send("DELETE", f"/rooms/{deleted}{ROOMS}")

    listed = [room["id"] for room in raw.send("GET", f"/rooms{ROOMS}").json()["value"]]

    assert listed == [kept]
