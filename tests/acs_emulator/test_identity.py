"""Identity endpoints (ACS_REST.md §3) through the SDK and raw."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
from azure.communication.identity import (
    CommunicationIdentityClient,
    CommunicationTokenScope,
    CommunicationUserIdentifier,
)
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceNotFoundError,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from acs_emulator.tokens import TokenMinter

IDENTITY = "?api-version=2023-10-01"
SCOPES = ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"]


def payload(token: str) -> dict[str, Any]:
    """How other ACS SDKs read a token: standard base64 with "==" appended."""
    return dict(json.loads(base64.b64decode(token.split(".")[1] + "==")))


def test_token_payload_decodes_with_standard_base64_and_carries_the_claims(
    identity: CommunicationIdentityClient,
) -> None:
    user, token = identity.create_user_and_token(
        [CommunicationTokenScope.CHAT, CommunicationTokenScope.VOIP],
        token_expires_in=timedelta(hours=2),
    )

    claims = payload(token.token)

    assert claims["skypeid"] == user.properties["id"].removeprefix("8:")
    assert claims["acsScope"] == "chat,voip"
    assert claims["exp"] == claims["iat"] + 2 * 3600
    assert {"scp", "resourceId", "csi"} <= set(claims)


@settings(max_examples=50, deadline=None)
@given(
    scopes=st.lists(st.sampled_from(SCOPES), min_size=1, unique=True),
    issued_at=st.integers(min_value=0, max_value=2**40),
    minutes=st.integers(min_value=60, max_value=1440),
    suffix=st.uuids(),
)
def test_payload_segment_is_only_letters_and_digits(
    scopes: list[str], issued_at: int, minutes: int, suffix: object
) -> None:
    resource = "2dee53b4-368b-45b4-ab52-8493fb117652"
    token = TokenMinter(resource).mint(
        f"8:acs:{resource}_{suffix}", scopes, issued_at, issued_at + minutes * 60
    )

    segment = token.split(".")[1]

    assert segment.isalnum()
    assert payload(token)["exp"] == issued_at + minutes * 60


def test_get_token_expiry_is_the_requested_duration(
    identity: CommunicationIdentityClient, clock
) -> None:
    user = identity.create_user()

    token = identity.get_token(
        user, [CommunicationTokenScope.CHAT], token_expires_in=timedelta(minutes=60)
    )

    claims = payload(token.token)
    assert claims["exp"] == claims["iat"] + 3600


def test_empty_create_token_scopes_leave_out_the_access_token(raw) -> None:
    response = raw.send("POST", f"/identities{IDENTITY}", {"createTokenWithScopes": []})

    assert response.status_code == 201
    assert list(response.json()) == ["identity"]


def test_issue_without_scopes_is_a_validation_error(raw, new_user) -> None:
    user = new_user().replace(":", "%3A")

    response = raw.send("POST", f"/identities/{user}/:issueAccessToken{IDENTITY}", {})

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "ValidationError",
            "message": "Scopes: The Scopes field is required.",
            "target": "Scopes",
        }
    }


def test_identity_errors_are_plain_json_without_an_error_code_header(raw, new_user) -> None:
    user = new_user().replace(":", "%3A")

    response = raw.send("POST", f"/identities/{user}/:issueAccessToken{IDENTITY}", {})

    assert response.headers["Content-Type"] == "application/json"
    assert "x-ms-error-code" not in response.headers


def test_identity_responses_echo_the_client_request_id(raw) -> None:
    response = raw.send(
        "POST", f"/identities{IDENTITY}", headers={"x-ms-client-request-id": "abc-123"}
    )

    assert response.headers["x-ms-client-request-id"] == "abc-123"


def test_unknown_scope_is_a_validation_error(raw) -> None:
    response = raw.send("POST", f"/identities{IDENTITY}", {"createTokenWithScopes": ["email"]})

    assert (response.status_code, response.json()["error"]["code"]) == (400, "ValidationError")


def test_teams_token_exchange_is_401_invalid_access_token(
    identity: CommunicationIdentityClient,
) -> None:
    with pytest.raises(ClientAuthenticationError) as raised:
        identity.get_token_for_teams_user("aad-token", "client-id", "user-object-id")

    assert raised.value.error is not None
    assert raised.value.error.code == "InvalidAccessToken"


def test_token_for_a_deleted_identity_is_not_found(identity: CommunicationIdentityClient) -> None:
    user = identity.create_user()
    identity.delete_user(user)

    with pytest.raises(ResourceNotFoundError):
        identity.get_token(user, [CommunicationTokenScope.CHAT])


def test_token_for_a_malformed_identity_id_is_400(identity: CommunicationIdentityClient) -> None:
    with pytest.raises(HttpResponseError) as raised:
        identity.get_token(
            CommunicationUserIdentifier("8:acs:not-a-guid"), [CommunicationTokenScope.CHAT]
        )

    assert raised.value.status_code == 400


def test_revoke_tokens_keeps_the_identity(identity: CommunicationIdentityClient, emulator) -> None:
    user = identity.create_user()

    identity.revoke_tokens(user)

    assert user.properties["id"] in emulator.identities()


def test_deleted_identity_is_no_longer_listed(
    identity: CommunicationIdentityClient, emulator
) -> None:
    keep, drop = identity.create_user(), identity.create_user()

    identity.delete_user(drop)

    assert emulator.identities() == {keep.properties["id"]}


def test_unsupported_identity_api_version_is_400(raw) -> None:
    assert raw.send("POST", "/identities?api-version=2025-03-13").status_code == 400
