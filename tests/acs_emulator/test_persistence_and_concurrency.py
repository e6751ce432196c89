"""State survives restarts with a data dir, and concurrent requests all land."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from acs_emulator import EmulatorConfig, start_emulator

ROOMS = "?api-version=2025-03-13"
KEY = "ZW11bGF0b3Itc2VjcmV0LWtleS0wMTIzNDU2Nzg5YWI="


def test_rooms_participants_and_identities_survive_a_restart(tmp_path: Path, make_raw) -> None:
    config = EmulatorConfig(data_dir=tmp_path, access_key=KEY)
    with start_emulator(config) as first:
        raw = make_raw(first)
        user = raw.send("POST", "/identities?api-version=2023-10-01").json()["identity"]["id"]
        body = {"pstnDialOutEnabled": True, "participants": {user: {"role": "Presenter"}}}
        room_id = raw.send("POST", f"/rooms{ROOMS}", body).json()["id"]
        before = first.snapshot()

    with start_emulator(config) as second:
        assert second.snapshot() == before
        assert second.identities() == {user}
        assert make_raw(second).send("GET", f"/rooms/{room_id}{ROOMS}").status_code == 200


def test_identity_ids_keep_the_same_resource_guid_after_a_restart(tmp_path: Path, make_raw) -> None:
    config = EmulatorConfig(data_dir=tmp_path)
    with start_emulator(config) as first:
        before = make_raw(first).send("POST", "/identities?api-version=2023-10-01").json()
    with start_emulator(config) as second:
        after = make_raw(second).send("POST", "/identities?api-version=2023-10-01").json()

    resource = before["identity"]["id"].split("_")[0]
    assert after["identity"]["id"].startswith(resource + "_")


def test_in_memory_state_starts_empty_every_time(make_raw) -> None:
    with start_emulator() as first:
        make_raw(first).send("POST", f"/rooms{ROOMS}", {})
    with start_emulator() as second:
        assert second.snapshot() == {}


def test_concurrent_creates_from_many_connections_all_land_with_distinct_ids(make_raw) -> None:
    with start_emulator() as emulator:
        clients = [make_raw(emulator) for _ in range(8)]

        def create_ten(index: int) -> list[str]:
            raw = clients[index]
            return [raw.send("POST", f"/rooms{ROOMS}", {}).json()["id"] for _ in range(10)]

        with ThreadPoolExecutor(max_workers=8) as pool:
            ids = [room_id for batch in pool.map(create_ten, range(8)) for room_id in batch]

        assert len(set(ids)) == 80
        assert set(emulator.snapshot()) == set(ids)


def test_concurrent_participant_patches_on_one_room_are_all_applied(make_raw) -> None:
    with start_emulator() as emulator:
        clients = [make_raw(emulator) for _ in range(4)]
        room_id = clients[0].send("POST", f"/rooms{ROOMS}", {}).json()["id"]

        def add(index: int) -> int:
            body = {"participants": {f"8:acs:user_{index}": {"role": "Attendee"}}}
            return int(
                clients[index % 4]
                .send("PATCH", f"/rooms/{room_id}/participants{ROOMS}", body)
                .status_code
            )

        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(add, range(40)))

        assert statuses == [200] * 40
        assert len(emulator.snapshot()[room_id].participants) == 40
