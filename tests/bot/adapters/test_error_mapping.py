"""Hand-built azure-core errors become domain errors with messages a Slack user can act on."""

from __future__ import annotations

import json
from typing import Any

import pytest
from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    DecodeError,
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceResponseTimeoutError,
)

from bot.adapters.acs_errors import ENTRA_HINT, KEY_HINT, ErrorTranslator
from bot.adapters.service_errors import sanitise
from bot.services.errors import (
    AcsRequestFailed,
    CredentialsRejected,
    ParticipantInvalid,
    RoomNotFound,
    ServiceUnreachable,
    Throttled,
    WindowInvalid,
)

ROOM_ID = "99117812428622880"
BAD_REQUEST = "The request could not be understood by the server due to malformed syntax."
translator = ErrorTranslator(endpoint="https://x.communication.azure.com")


class CannedResponse:
    """Just enough of an azure-core HttpResponse for HttpResponseError to read."""

    def __init__(self, status: int, body: object = None, headers: dict[str, str] | None = None):
        self.status_code = status
        self.reason = "Reason"
        self.headers = headers or {}
        self._text = body if isinstance(body, str) else json.dumps(body) if body else ""

    def text(self, encoding: str | None = None) -> str:
        return self._text


def canned(status: int, body: object = None, headers: dict[str, str] | None = None) -> Any:
    return CannedResponse(status, body, headers)


def http_error(status: int, body: object = None, **headers: str) -> HttpResponseError:
    return HttpResponseError(response=canned(status, body, headers))


def acs_400(message: str = BAD_REQUEST, *details: tuple[str, str]) -> HttpResponseError:
    error: dict[str, Any] = {"code": "BadRequest", "message": message}
    if details:
        error["details"] = [{"code": "BadArgument", "message": m, "target": t} for m, t in details]
    return http_error(400, {"error": error})


def test_404_for_a_room_is_room_not_found_naming_the_room() -> None:
    error = translator.translate(ResourceNotFoundError(response=canned(404)), room_id=ROOM_ID)
    assert isinstance(error, RoomNotFound)
    assert ROOM_ID in error.message


def test_404_for_an_identity_says_the_identity_is_gone() -> None:
    error = translator.translate(http_error(404), acs_id="8:acs:abc")
    assert isinstance(error, AcsRequestFailed)
    assert "8:acs:abc" in error.message


@pytest.mark.parametrize(
    ("detail", "target", "rule", "field", "words"),
    [
        ("The time range is incorrect, or larger than 180 days.", "ValidUntil",
         WindowInvalid.TOO_LONG, "valid_until", "at most 180 days"),
        ("The time range end is in the past.", "ValidUntil",
         WindowInvalid.END_IN_PAST, "valid_until", "end time is already in the past"),
        ("Value is incorrect or more than 180 days in the future.", "ValidFrom",
         WindowInvalid.START_TOO_FAR, "valid_from", "start is more than 180 days"),
    ],
)  # fmt: skip
def test_each_window_rule_becomes_window_invalid_saying_which_rule(
    detail: str, target: str, rule: str, field: str, words: str
) -> None:
    error = translator.translate(acs_400(BAD_REQUEST, (detail, target)))
    assert isinstance(error, WindowInvalid)
    assert (error.rule, error.field) == (rule, field)
    assert words in error.message


def test_an_invalid_role_is_participant_invalid_listing_the_roles() -> None:
    error = translator.translate(
        acs_400(
            BAD_REQUEST,
            ("The updateParticipantsRequestDto field is required.", "updateParticipantsRequestDto"),
            ("Invalid participant role. The valid roles are: Presenter.", "$.participants.x.role"),
        )
    )
    assert isinstance(error, ParticipantInvalid)
    assert "Collaborator" in error.message


@pytest.mark.parametrize(
    "message",
    ["Invalid value for the Participants.", "Invalid format for communication identifier."],
)
def test_an_invalid_identifier_is_participant_invalid_naming_acs_ids(message: str) -> None:
    error = translator.translate(acs_400(message))
    assert isinstance(error, ParticipantInvalid)
    assert "8:acs:" in error.message


def test_too_many_participants_is_participant_invalid_saying_too_many() -> None:
    error = translator.translate(
        acs_400(BAD_REQUEST, ("The number of participants exceeds the limit of 2.", "Participants"))
    )
    assert isinstance(error, ParticipantInvalid)
    assert "too many participants" in error.message


def test_a_malformed_room_id_is_room_not_found() -> None:
    error = translator.translate(acs_400("Invalid room ID length."), room_id="123")
    assert isinstance(error, RoomNotFound)


def test_an_unclassified_400_keeps_the_service_message() -> None:
    body = {
        "error": {"code": "ValidationError", "message": "Scopes: The Scopes field is required."}
    }
    error = translator.translate(http_error(400, body))
    assert isinstance(error, AcsRequestFailed)
    assert "Scopes field is required" in error.message


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [({"Retry-After": "7"}, 7.0), ({"retry-after-ms": "500"}, 0.5), ({}, None)],
)
def test_429_is_throttled_with_retry_after_from_the_header(
    headers: dict[str, str], seconds: float | None
) -> None:
    error = translator.translate(http_error(429, None, **headers))
    assert isinstance(error, Throttled)
    assert error.retry_after == seconds


def test_401_is_credentials_rejected_pointing_at_the_connection_string() -> None:
    error = translator.translate(ClientAuthenticationError(response=canned(401)))
    assert isinstance(error, CredentialsRejected)
    assert error.message == KEY_HINT
    assert "ACS_CONNECTION_STRING" in error.message


def test_403_is_credentials_rejected_too() -> None:
    assert isinstance(translator.translate(http_error(403)), CredentialsRejected)


def test_an_entra_deployment_is_told_to_check_its_identity_not_a_key() -> None:
    entra = ErrorTranslator(endpoint="https://x", auth_hint=ENTRA_HINT)
    assert entra.translate(ClientAuthenticationError("no token")).message == ENTRA_HINT


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_server_errors_that_survive_retries_are_service_unreachable(status: int) -> None:
    error = translator.translate(http_error(status))
    assert isinstance(error, ServiceUnreachable)
    assert f"HTTP {status}" in error.message


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (ServiceRequestError("[Errno 111] Connection refused"), "connection was refused"),
        (ServiceResponseTimeoutError("Read timed out."), "did not answer in time"),
        (ServiceRequestError("[SSL: CERTIFICATE_VERIFY_FAILED] failed"), "TLS handshake failed"),
        (ServiceRequestError("Name or service not known"), "host name did not resolve"),
    ],
)
def test_transport_failures_are_service_unreachable_with_the_reason(
    exc: AzureError, reason: str
) -> None:
    error = translator.translate(exc)
    assert isinstance(error, ServiceUnreachable)
    assert reason in error.message
    assert "https://x.communication.azure.com" in error.message


def test_other_azure_errors_are_acs_request_failed() -> None:
    assert isinstance(translator.translate(DecodeError("bad json")), AcsRequestFailed)


def test_the_guard_raises_the_domain_error_without_chaining_the_azure_one() -> None:
    with pytest.raises(RoomNotFound) as caught, translator.guard(room_id=ROOM_ID):
        raise http_error(404)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_the_guard_with_missing_ok_swallows_a_404() -> None:
    with translator.guard(room_id=ROOM_ID, missing_ok=True):
        raise http_error(404)


def test_the_guard_lets_domain_errors_through_untouched() -> None:
    with pytest.raises(WindowInvalid), translator.guard():
        raise WindowInvalid("x", rule=WindowInvalid.TOO_LONG)


def test_service_text_is_one_line_without_tokens_or_keys() -> None:
    text = "bad\nthing accesskey=c2VjcmV0 token eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl end"
    assert sanitise(text) == "bad thing <redacted> token <redacted> end"


def test_long_service_text_is_cut_short() -> None:
    assert len(sanitise("x" * 5000)) == 300
