"""Repeatability-Request-Id idempotency on create (ACS "Repeatability of requests" page)."""

from __future__ import annotations

import uuid
from email.utils import formatdate
from time import time

ROOMS = "?api-version=2025-03-13"
BODY = {"validFrom": None, "validUntil": None, "pstnDialOutEnabled": False}


def repeatable(request_id: str, first_sent: float | None = None) -> dict[str, str]:
    return {
        "Repeatability-Request-Id": request_id,
        "Repeatability-First-Sent": formatdate(first_sent or time(), usegmt=True),
    }


def test_repeating_a_create_returns_the_same_room_and_creates_one(raw) -> None:
    headers = repeatable(str(uuid.uuid1()))

    first = raw.send("POST", f"/rooms{ROOMS}", BODY, headers=headers)
    again = raw.send("POST", f"/rooms{ROOMS}", BODY, headers=headers)

    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["Location"] == first.json()["id"]
    assert again.headers["Repeatability-Result"] == "accepted"
    assert list(raw.emulator.snapshot()) == [first.json()["id"]]


def test_request_id_header_is_read_case_insensitively_as_js_sends_it(raw) -> None:
    request_id = str(uuid.uuid4())
    headers = {
        "Repeatability-Request-ID": request_id,
        "Repeatability-First-Sent": formatdate(usegmt=True),
    }

    first = raw.send("POST", f"/rooms{ROOMS}", b'{"participants":{}}', headers=headers)
    again = raw.send("POST", f"/rooms{ROOMS}", b'{"participants":{}}', headers=headers)

    assert again.json()["id"] == first.json()["id"]


def test_reusing_a_request_id_with_a_different_body_is_rejected_with_400(raw) -> None:
    headers = repeatable(str(uuid.uuid1()))
    raw.send("POST", f"/rooms{ROOMS}", BODY, headers=headers)

    response = raw.send(
        "POST", f"/rooms{ROOMS}", BODY | {"pstnDialOutEnabled": True}, headers=headers
    )

    assert response.status_code == 400
    assert response.headers["Repeatability-Result"] == "rejected"
    assert len(raw.emulator.snapshot()) == 1


def test_first_sent_older_than_five_minutes_is_rejected_with_412(raw) -> None:
    headers = repeatable(str(uuid.uuid1()), first_sent=time() - 6 * 60)

    response = raw.send("POST", f"/rooms{ROOMS}", BODY, headers=headers)

    assert (response.status_code, response.headers["Repeatability-Result"]) == (412, "rejected")
    assert raw.emulator.snapshot() == {}


def test_request_id_that_is_not_a_guid_is_rejected_with_400(raw) -> None:
    response = raw.send("POST", f"/rooms{ROOMS}", BODY, headers=repeatable("not-a-guid"))

    assert (response.status_code, response.headers["Repeatability-Result"]) == (400, "rejected")


def test_unparseable_first_sent_is_rejected_with_400(raw) -> None:
    headers = {"Repeatability-Request-Id": str(uuid.uuid1()), "Repeatability-First-Sent": "soon"}

    response = raw.send("POST", f"/rooms{ROOMS}", BODY, headers=headers)

    assert response.status_code == 400


def test_different_request_ids_create_different_rooms(raw) -> None:
    first = raw.send("POST", f"/rooms{ROOMS}", BODY, headers=repeatable(str(uuid.uuid1())))
    second = raw.send("POST", f"/rooms{ROOMS}", BODY, headers=repeatable(str(uuid.uuid1())))

    assert first.json()["id"] != second.json()["id"]


def test_create_without_repeatability_headers_has_no_repeatability_result(raw) -> None:
    response = raw.send("POST", f"/rooms{ROOMS}", BODY)

    assert response.status_code == 201
    assert "Repeatability-Result" not in response.headers
