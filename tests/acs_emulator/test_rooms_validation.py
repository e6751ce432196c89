"""Rooms validation and defaults (ACS_REST.md §2.1-2.5), with an injected clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from acs_emulator import EmulatorConfig, start_emulator

ROOMS = "?api-version=2025-03-13"


def iso(moment: Any) -> str:
    return str(moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def details(response: Any) -> list[tuple[str, str]]:
    return [(d["message"], d["target"]) for d in response.json()["error"]["details"]]


def test_omitted_fields_default_to_now_plus_180_days_without_pstn(clocked_raw, clock) -> None:
    room = clocked_raw.send("POST", f"/rooms{ROOMS}", {}).json()

    assert room["createdAt"] == room["validFrom"] == "2030-01-01T00:00:00+00:00"
    assert room["validUntil"] == "2030-06-30T00:00:00+00:00"
    assert room["pstnDialOutEnabled"] is False


def test_js_style_compact_body_with_empty_participants_creates_a_room(clocked_raw) -> None:
    response = clocked_raw.send("POST", f"/rooms{ROOMS}", b'{"participants":{}}')

    assert response.status_code == 201
    assert response.json()["validUntil"] == "2030-06-30T00:00:00+00:00"


def test_js_style_patch_with_missing_keys_leaves_those_fields_unchanged(clocked_raw) -> None:
    created = clocked_raw.send("POST", f"/rooms{ROOMS}", {"pstnDialOutEnabled": True}).json()

    body = b'{"validUntil":"2030-02-01T00:00:00.000Z"}'
    updated = clocked_raw.send("PATCH", f"/rooms/{created['id']}{ROOMS}", body).json()

    assert updated["validUntil"] == "2030-02-01T00:00:00+00:00"
    assert (updated["validFrom"], updated["pstnDialOutEnabled"]) == (created["validFrom"], True)
    assert (updated["id"], updated["createdAt"]) == (created["id"], created["createdAt"])


def test_given_times_are_echoed_in_utc_with_up_to_seven_fraction_digits(clocked_raw) -> None:
    body = {"validFrom": "2030-01-05T10:00:00.1234567+02:00", "validUntil": "2030-01-06T00:00:00Z"}

    room = clocked_raw.send("POST", f"/rooms{ROOMS}", body).json()

    assert room["validFrom"] == "2030-01-05T08:00:00.1234567+00:00"


def test_end_in_the_past_is_rejected_with_its_own_detail(clocked_raw, clock) -> None:
    body = {
        "validFrom": iso(clock.now - timedelta(days=2)),
        "validUntil": iso(clock.now - timedelta(days=1)),
    }

    response = clocked_raw.send("POST", f"/rooms{ROOMS}", body)

    assert response.status_code == 400
    assert details(response) == [("The time range end is in the past.", "ValidUntil")]


def test_start_more_than_180_days_ahead_is_rejected_with_its_own_detail(clocked_raw, clock) -> None:
    start = clock.now + timedelta(days=181)
    body = {"validFrom": iso(start), "validUntil": iso(start + timedelta(days=1))}

    response = clocked_raw.send("POST", f"/rooms{ROOMS}", body)

    assert details(response) == [
        ("Value is incorrect or more than 180 days in the future.", "ValidFrom")
    ]


def test_end_before_start_is_an_incorrect_time_range(clocked_raw, clock) -> None:
    body = {
        "validFrom": iso(clock.now + timedelta(days=2)),
        "validUntil": iso(clock.now + timedelta(days=1)),
    }

    response = clocked_raw.send("POST", f"/rooms{ROOMS}", body)

    assert details(response) == [
        ("The time range is incorrect, or larger than 180 days.", "ValidUntil")
    ]


def test_several_broken_time_rules_each_get_a_detail(clocked_raw, clock) -> None:
    body = {
        "validFrom": iso(clock.now + timedelta(days=200)),
        "validUntil": iso(clock.now - timedelta(days=1)),
    }

    response = clocked_raw.send("POST", f"/rooms{ROOMS}", body)

    assert [target for _, target in details(response)] == ["ValidUntil", "ValidUntil", "ValidFrom"]


def test_exactly_180_days_is_accepted(clocked_raw, clock) -> None:
    body = {"validFrom": iso(clock.now), "validUntil": iso(clock.now + timedelta(days=180))}

    assert clocked_raw.send("POST", f"/rooms{ROOMS}", body).status_code == 201


def test_moving_the_injected_clock_makes_an_old_window_invalid(clocked_raw, clock) -> None:
    room = clocked_raw.send("POST", f"/rooms{ROOMS}", {}).json()
    clock.now += timedelta(days=200)

    response = clocked_raw.send(
        "PATCH", f"/rooms/{room['id']}{ROOMS}", {"validFrom": room["validFrom"]}
    )

    assert ("The time range end is in the past.", "ValidUntil") in details(response)


def test_unparseable_time_is_400(raw) -> None:
    response = raw.send("POST", f"/rooms{ROOMS}", {"validFrom": "next tuesday"})

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Invalid value for the ValidFrom."


def test_non_acs_participant_on_create_is_an_invalid_identifier_format(raw) -> None:
    response = raw.send(
        "POST", f"/rooms{ROOMS}", {"participants": {"4:+14255550123": {"role": "Attendee"}}}
    )

    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Invalid format for communication identifier."
    assert raw.emulator.snapshot() == {}


@pytest.mark.parametrize("value", [{"role": "Attendee"}, None])
def test_non_acs_participant_on_patch_is_an_invalid_participants_value(raw, value: Any) -> None:
    room_id = raw.send("POST", f"/rooms{ROOMS}", {}).json()["id"]

    response = raw.send(
        "PATCH", f"/rooms/{room_id}/participants{ROOMS}", {"participants": {"8:orgid:abc": value}}
    )

    assert response.json() == {
        "error": {"code": "BadRequest", "message": "Invalid value for the Participants."}
    }


def test_create_with_more_participants_than_the_limit_is_400(make_raw) -> None:
    with start_emulator(EmulatorConfig(max_participants=2)) as emulator:
        participants = {f"8:acs:limit_{n}": {"role": "Attendee"} for n in range(3)}
        response = make_raw(emulator).send("POST", f"/rooms{ROOMS}", {"participants": participants})

        assert response.status_code == 400
        assert emulator.snapshot() == {}


def test_patch_past_the_participant_limit_is_400_and_changes_nothing(make_raw) -> None:
    with start_emulator(EmulatorConfig(max_participants=2)) as emulator:
        raw = make_raw(emulator)
        room_id = raw.send(
            "POST", f"/rooms{ROOMS}", {"participants": {"8:acs:a": {"role": "Attendee"}}}
        ).json()["id"]
        extra = {"participants": {"8:acs:b": {"role": "Attendee"}, "8:acs:c": {"role": "Attendee"}}}

        response = raw.send("PATCH", f"/rooms/{room_id}/participants{ROOMS}", extra)

        assert response.status_code == 400
        assert emulator.snapshot()[room_id].participants == {"8:acs:a": "Attendee"}


def test_re_adding_a_removed_participant_puts_them_last(raw) -> None:
    people = {"8:acs:a": {"role": "Attendee"}, "8:acs:b": {"role": "Attendee"}}
    room_id = raw.send("POST", f"/rooms{ROOMS}", {"participants": people}).json()["id"]
    path = f"/rooms/{room_id}/participants{ROOMS}"

    raw.send("PATCH", path, {"participants": {"8:acs:a": None}})
    raw.send("PATCH", path, {"participants": {"8:acs:a": {"role": "Presenter"}}})

    assert list(raw.emulator.snapshot()[room_id].participants.items()) == [
        ("8:acs:b", "Attendee"),
        ("8:acs:a", "Presenter"),
    ]


def test_patching_a_deleted_room_is_404(raw) -> None:
    room_id = raw.send("POST", f"/rooms{ROOMS}", {}).json()["id"]
    raw.send("DELETE", f"/rooms/{room_id}{ROOMS}")

    response = raw.send("PATCH", f"/rooms/{room_id}{ROOMS}", {"pstnDialOutEnabled": True})

    assert (response.status_code, response.headers["x-ms-error-code"]) == (404, "NotFound")


def test_listing_participants_of_an_unknown_room_is_404(raw) -> None:
    response = raw.send("GET", f"/rooms/99999999999999999/participants{ROOMS}")

    assert response.status_code == 404


def test_unsupported_api_version_is_400(raw) -> None:
    response = raw.send("GET", "/rooms?api-version=2021-01-01")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "UnsupportedApiVersion"


def test_missing_api_version_is_400(raw) -> None:
    response = raw.send("GET", "/rooms")

    assert response.json()["error"]["code"] == "ApiVersionUnspecified"


def test_body_that_is_not_a_json_object_is_400(raw) -> None:
    response = raw.send("POST", f"/rooms{ROOMS}", b"[1, 2]")

    assert response.status_code == 400


def test_unknown_path_is_404(raw) -> None:
    assert raw.send("GET", f"/chats{ROOMS}").status_code == 404


def test_known_path_with_an_unsupported_method_is_405(raw) -> None:
    assert raw.send("PUT", f"/rooms{ROOMS}", {}).status_code == 405


def test_responses_carry_service_headers(raw) -> None:
    response = raw.send("GET", f"/rooms{ROOMS}")

    assert response.headers["api-supported-versions"] == "2023-06-14, 2024-04-15, 2025-03-13"
    assert response.headers["MS-CV"]
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"


def test_snapshot_reports_live_rooms_with_aware_datetimes(clocked_raw, clock) -> None:
    room_id = clocked_raw.send("POST", f"/rooms{ROOMS}", {"pstnDialOutEnabled": True}).json()["id"]

    room = clocked_raw.emulator.snapshot()[room_id]

    assert (room.valid_from, room.valid_until - room.valid_from) == (clock.now, timedelta(days=180))
    assert room.pstn_dial_out_enabled is True
