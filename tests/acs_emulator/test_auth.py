"""HMAC-SHA256 verification (ACS_REST.md §1, §7)."""

from __future__ import annotations

import base64
from email.utils import formatdate
from time import time

import pytest
from azure.communication.identity import CommunicationIdentityClient
from azure.communication.rooms import RoomsClient
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ClientAuthenticationError

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from acs_emulator.auth import content_hash, signature, string_to_sign, whatwg_form

ROOMS = "?api-version=2025-03-13"
DENIED = {"error": {"code": "Denied", "message": "Denied by the resource provider."}}
WRONG_KEY = base64.b64encode(b"not the emulator key").decode()


def test_signature_matches_the_sdk_unit_test_vector() -> None:
    assert (
        signature(base64.b64decode("pw=="), "banana")
        == "88EC05aAS9iXnaimtNO78JLjiPtfWryQB/5QYEzEsu8="
    )


def test_signature_matches_a_captured_create_room_request() -> None:
    body = b'{"validFrom": null, "validUntil": null, "pstnDialOutEnabled": false}'
    text = string_to_sign(
        "POST", "/rooms?api-version=2025-03-13", "Sun, 22 Nov 2026 08:17:41 GMT",
        "127.0.0.1:18765", content_hash(body),
    )  # fmt: skip

    key = base64.b64decode("ZW11bGF0b3Itc2VjcmV0LWtleS0wMTIzNDU2Nzg5YWI=")
    assert content_hash(body) == "2xVVJJKx5brgL5bSWgeu9hhccJP/PkHHEzXUfUClsMI="
    assert signature(key, text) == "ngmHZX/tEEghwLor6W1xslOXvdz54tmutJnpfjaRP/U="


def test_sdk_with_a_wrong_key_gets_client_authentication_error_denied(
    emulator: RunningEmulator,
) -> None:
    rooms = RoomsClient(emulator.endpoint, AzureKeyCredential(WRONG_KEY), retry_total=0)
    with rooms, pytest.raises(ClientAuthenticationError) as raised:
        rooms.get_room("99410424610840801")

    assert raised.value.error is not None
    assert raised.value.error.code == "Denied"


def test_wrong_key_is_401_with_the_denied_body(raw) -> None:
    response = raw.send("GET", f"/rooms{ROOMS}", key=WRONG_KEY)

    assert (response.status_code, response.json()) == (401, DENIED)


def test_missing_authorization_is_401(raw) -> None:
    response = raw.session.get(f"{raw.emulator.endpoint}/rooms{ROOMS}", timeout=10)

    assert response.status_code == 401


def test_body_not_matching_its_content_hash_is_401(raw) -> None:
    signed_body = b'{"pstnDialOutEnabled":false}'
    headers = {"x-ms-content-sha256": content_hash(signed_body)}

    response = raw.send("POST", f"/rooms{ROOMS}", b'{"pstnDialOutEnabled":true}', headers=headers)

    assert (response.status_code, response.json()) == (401, DENIED)
    assert raw.emulator.snapshot() == {}


def test_date_older_than_the_allowed_skew_is_401(raw) -> None:
    stale = formatdate(time() - 16 * 60, usegmt=True)

    response = raw.send("GET", f"/rooms{ROOMS}", date=stale)

    assert response.status_code == 401


def test_allowed_clock_skew_is_configurable(make_raw) -> None:
    with start_emulator(EmulatorConfig(clock_skew_minutes=30)) as emulator:
        response = make_raw(emulator).send(
            "GET", f"/rooms{ROOMS}", date=formatdate(time() - 20 * 60, usegmt=True)
        )

    assert response.status_code == 200


def test_unparseable_date_is_401(raw) -> None:
    response = raw.send("GET", f"/rooms{ROOMS}", date="yesterday")

    assert response.status_code == 401


def test_percent_decoded_signing_form_is_accepted(raw) -> None:
    target = f"/rooms{ROOMS}&extra=a%2Bb%3D%3D"

    response = raw.send("GET", target, signed_target=f"/rooms{ROOMS}&extra=a+b==")

    assert response.status_code == 200


def test_whatwg_signing_form_of_raw_query_characters_is_accepted(raw) -> None:
    target = f"/rooms{ROOMS}&extra=a/b=c"

    response = raw.send("GET", target, signed_target=whatwg_form(target))

    assert whatwg_form(target) == f"/rooms{ROOMS}&extra=a%2Fb%3Dc"
    assert response.status_code == 200


def test_signature_over_a_different_path_is_401(raw) -> None:
    response = raw.send("GET", f"/rooms{ROOMS}", signed_target=f"/rooms/1{ROOMS}")

    assert response.status_code == 401


def test_identity_client_with_a_trailing_slash_endpoint_is_accepted(
    emulator: RunningEmulator,
) -> None:
    credential = AzureKeyCredential(emulator.access_key)
    client = CommunicationIdentityClient(emulator.endpoint + "/", credential, retry_total=0)

    user = client.create_user()

    assert user.properties["id"] in emulator.identities()


def test_identity_with_wrong_key_is_client_authentication_error(
    emulator: RunningEmulator,
) -> None:
    credential = AzureKeyCredential(WRONG_KEY)
    client = CommunicationIdentityClient(emulator.endpoint, credential, retry_total=0)

    with pytest.raises(ClientAuthenticationError):
        client.create_user()

    assert emulator.identities() == set()
