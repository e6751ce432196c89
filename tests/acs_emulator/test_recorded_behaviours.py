"""The real-service exchanges recorded in ACS_REST.md §4, items 1-9, one test each (or more)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from acs_emulator import EmulatorConfig, start_emulator

ROOMS = "?api-version=2025-03-13"
IDENTITY = "?api-version=2023-10-01"
NOT_FOUND = {
    "error": {"code": "NotFound", "message": "The server cannot find the requested resource."}
}


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def create_room(raw: Any, body: dict[str, Any] | None = None) -> str:
    default = {"validFrom": None, "validUntil": None, "pstnDialOutEnabled": False}
    response = raw.send("POST", f"/rooms{ROOMS}", body or default)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


# 1. Create + participants update + list ------------------------------------------------------


def test_create_answers_201_with_bare_id_location_and_accepted_repeatability(raw, new_user) -> None:
    body = {
        "validFrom": None,
        "validUntil": None,
        "pstnDialOutEnabled": False,
        "participants": {new_user(): {"role": "Presenter"}},
    }
    headers = {
        "Repeatability-Request-Id": "302379de-e64d-11f1-8000-000000000001",
        "Repeatability-First-Sent": formatdate(usegmt=True),
    }

    response = raw.send("POST", f"/rooms{ROOMS}", body, headers=headers)

    room = response.json()
    assert response.status_code == 201
    assert response.headers["Location"] == room["id"]
    assert response.headers["Repeatability-Result"] == "accepted"
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert set(room) == {"id", "createdAt", "validFrom", "validUntil", "pstnDialOutEnabled"}


def test_participants_patch_updates_in_place_and_appends_new_members(raw, new_user) -> None:
    s1, s2, s3 = new_user(), new_user(), new_user()
    room_id = create_room(
        raw, {"participants": {s1: {"role": "Presenter"}, s3: {"role": "Attendee"}}}
    )

    patched = raw.send(
        "PATCH",
        f"/rooms/{room_id}/participants{ROOMS}",
        {"participants": {s1: {"role": "Consumer"}, s2: {"role": "Consumer"}}},
    )
    listed = raw.send("GET", f"/rooms/{room_id}/participants{ROOMS}").json()

    assert (patched.status_code, patched.json()) == (200, {})
    assert listed == {
        "value": [
            {"rawId": s1, "role": "Consumer"},
            {"rawId": s3, "role": "Attendee"},
            {"rawId": s2, "role": "Consumer"},
        ]
    }


# 2. Get after delete; delete twice ---------------------------------------------------------


def test_get_after_delete_is_404_not_found_with_error_code_header(raw) -> None:
    room_id = create_room(raw)
    assert raw.send("DELETE", f"/rooms/{room_id}{ROOMS}").status_code == 204

    response = raw.send("GET", f"/rooms/{room_id}{ROOMS}")

    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert response.headers["x-ms-error-code"] == "NotFound"


def test_deleting_an_already_deleted_room_is_204_again(raw) -> None:
    room_id = create_room(raw)
    raw.send("DELETE", f"/rooms/{room_id}{ROOMS}")

    response = raw.send("DELETE", f"/rooms/{room_id}{ROOMS}")

    assert (response.status_code, response.content) == (204, b"")


# 3. Update beyond 180 days ----------------------------------------------------------------


def test_update_spanning_more_than_180_days_is_400_with_the_time_range_detail(
    clocked_raw, clock
) -> None:
    room_id = create_room(clocked_raw)
    body = {
        "validFrom": iso(clock.now + timedelta(days=3)),
        "validUntil": iso(clock.now + timedelta(days=203)),
    }

    response = clocked_raw.send("PATCH", f"/rooms/{room_id}{ROOMS}", body)

    assert response.status_code == 400
    assert response.headers["x-ms-error-code"] == "BadRequest"
    assert response.json() == {
        "error": {
            "code": "BadRequest",
            "message": "The request could not be understood by the server due to malformed syntax.",
            "details": [
                {
                    "code": "BadArgument",
                    "message": "The time range is incorrect, or larger than 180 days.",
                    "target": "ValidUntil",
                }
            ],
        }
    }


# 4. PATCH with null pstn ------------------------------------------------------------------


def test_update_with_null_pstn_keeps_the_flag_and_applies_the_new_dates(clocked_raw, clock) -> None:
    room_id = create_room(
        clocked_raw, {"validFrom": None, "validUntil": None, "pstnDialOutEnabled": True}
    )
    body = {
        "validFrom": "2030-01-02T00:00:00Z",
        "validUntil": "2030-02-01T00:00:00Z",
        "pstnDialOutEnabled": None,
    }

    room = clocked_raw.send("PATCH", f"/rooms/{room_id}{ROOMS}", body).json()

    assert room["pstnDialOutEnabled"] is True
    assert (room["validFrom"], room["validUntil"]) == (
        "2030-01-02T00:00:00+00:00",
        "2030-02-01T00:00:00+00:00",
    )


# 5. Remove a non-member --------------------------------------------------------------------


def test_removing_a_non_member_is_a_200_no_op(raw, new_user) -> None:
    s1, s2, s3 = new_user(), new_user(), new_user()
    room_id = create_room(
        raw, {"participants": {s1: {"role": "Presenter"}, s3: {"role": "Attendee"}}}
    )

    response = raw.send(
        "PATCH", f"/rooms/{room_id}/participants{ROOMS}", {"participants": {s2: None}}
    )

    listed = raw.send("GET", f"/rooms/{room_id}/participants{ROOMS}").json()["value"]
    assert (response.status_code, response.json()) == (200, {})
    assert [p["rawId"] for p in listed] == [s1, s3]


# 6. Wrong role ----------------------------------------------------------------------------


def test_wrong_role_is_400_with_the_dto_and_role_details_on_2024_04_15(raw, new_user) -> None:
    user = new_user()
    room_id = create_room(raw)

    response = raw.send(
        "PATCH",
        f"/rooms/{room_id}/participants?api-version=2024-04-15",
        {"participants": {user: {"role": "Kafka"}}},
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == [
        {
            "code": "BadArgument",
            "message": "The updateParticipantsRequestDto field is required.",
            "target": "updateParticipantsRequestDto",
        },
        {
            "code": "BadArgument",
            "message": "Invalid participant role. "
            "The valid roles are: Presenter, Attendee, Consumer.",
            "target": f"$.participants.{user}.role",
        },
    ]


def test_collaborator_is_rejected_before_2025_03_13(raw, new_user) -> None:
    room_id = create_room(raw)

    response = raw.send(
        "PATCH",
        f"/rooms/{room_id}/participants?api-version=2024-04-15",
        {"participants": {new_user(): {"role": "Collaborator"}}},
    )

    assert response.status_code == 400


def test_collaborator_is_accepted_from_2025_03_13(raw, new_user) -> None:
    room_id = create_room(raw)

    response = raw.send(
        "PATCH",
        f"/rooms/{room_id}/participants{ROOMS}",
        {"participants": {new_user(): {"role": "Collaborator"}}},
    )

    assert response.status_code == 200


def test_wrong_role_message_lists_collaborator_on_2025_03_13(raw, new_user) -> None:
    room_id = create_room(raw)

    response = raw.send(
        "PATCH",
        f"/rooms/{room_id}/participants{ROOMS}",
        {"participants": {new_user(): {"role": "Kafka"}}},
    )

    assert response.json()["error"]["details"][1]["message"] == (
        "Invalid participant role. "
        "The valid roles are: Presenter, Attendee, Consumer, Collaborator."
    )


# 7. Malformed room id ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("room_id", ["invalid_id", "123", "1234567890123456789"])
def test_malformed_room_id_is_400_invalid_room_id_length(raw, method: str, room_id: str) -> None:
    response = raw.send(method, f"/rooms/{room_id}{ROOMS}", {} if method == "PATCH" else None)

    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "BadRequest", "message": "Invalid room ID length."}
    }
    assert response.headers["x-ms-error-code"] == "BadRequest"


# 8. List with an absolute nextLink ---------------------------------------------------------


def test_list_pages_with_an_absolute_next_link_that_carries_the_api_version(make_raw) -> None:
    with start_emulator(EmulatorConfig(page_size=2)) as emulator:
        raw = make_raw(emulator)
        newest_last = [create_room(raw) for _ in range(3)]

        first = raw.send("GET", f"/rooms{ROOMS}").json()

    link = urlsplit(first["nextLink"])
    assert [room["id"] for room in first["value"]] == newest_last[:0:-1]
    assert f"{link.scheme}://{link.netloc}" == emulator.endpoint
    assert (link.path, parse_qs(link.query)["api-version"]) == ("/rooms", ["2025-03-13"])
    assert re.fullmatch(r"nextLink=[A-Za-z0-9%]+&api-version=2025-03-13", link.query)


# 9. Identity ------------------------------------------------------------------------------


def test_create_identity_without_a_body_is_201_with_only_the_identity(raw) -> None:
    response = raw.send("POST", f"/identities{IDENTITY}")

    assert response.status_code == 201
    assert list(response.json()) == ["identity"]
    assert re.fullmatch(r"8:acs:[0-9a-f-]{36}_[0-9a-f-]{36}", response.json()["identity"]["id"])


def test_issue_access_token_is_200_with_token_and_service_style_expiry(raw, new_user) -> None:
    response = raw.send(
        "POST",
        f"/identities/{_quoted(new_user())}/:issueAccessToken{IDENTITY}",
        {"scopes": ["chat"]},
    )

    assert response.status_code == 200
    assert set(response.json()) == {"token", "expiresOn"}
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?\+00:00", response.json()["expiresOn"]
    )


def test_revoke_access_tokens_without_a_body_is_204(raw, new_user) -> None:
    response = raw.send("POST", f"/identities/{_quoted(new_user())}/:revokeAccessTokens{IDENTITY}")

    assert (response.status_code, response.content) == (204, b"")


@pytest.mark.parametrize("minutes", [59, 1441])
def test_token_expiry_outside_60_to_1440_minutes_is_a_validation_error(
    raw, new_user, minutes: int
) -> None:
    response = raw.send(
        "POST",
        f"/identities/{_quoted(new_user())}/:issueAccessToken{IDENTITY}",
        {"scopes": ["chat"], "expiresInMinutes": minutes},
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "ValidationError",
            "message": f"ExpiresInMinutes value {minutes} is invalid. "
            "Value must be within the [60, 1440] interval.",
            "target": "ExpiresInMinutes",
        }
    }


def _quoted(identity_id: str) -> str:
    return identity_id.replace(":", "%3A")
