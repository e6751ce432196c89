"""Validation of Identity request bodies and ids, with the service's messages (§3)."""

from __future__ import annotations

import json
import re
from typing import Any

from acs_emulator.errors import ApiError, validation_error

SCOPES = ("chat", "voip", "chat.join", "chat.join.limited", "voip.join")
DEFAULT_EXPIRY_MINUTES = 1440
_MIN_EXPIRY, _MAX_EXPIRY = 60, 1440
_GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
IDENTITY_ID = re.compile(rf"8:acs:{_GUID}_[0-9A-Za-z-]{{1,64}}")


def check_identity_id(identity_id: str) -> None:
    if IDENTITY_ID.fullmatch(identity_id) is None:
        raise ApiError(400, "InvalidIdentifier", f"The identifier '{identity_id}' is not valid.")


def json_object(raw: bytes) -> dict[str, Any]:
    """The body as an object; the SDK's create_user() sends no body at all, which means `{}`."""
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise validation_error("The request body is not valid JSON.", "body") from None
    if not isinstance(body, dict):
        raise validation_error("The request body must be a JSON object.", "body")
    return body


def scopes(body: dict[str, Any], key: str, *, required: bool) -> list[str]:
    value = body.get(key)
    if required and not value:
        raise validation_error("Scopes: The Scopes field is required.", "Scopes")
    if value is None:
        return []
    if not isinstance(value, list) or any(scope not in SCOPES for scope in value):
        raise validation_error(
            f"Scopes: The value is not valid; use {', '.join(SCOPES)}.", "Scopes"
        )
    return value


def expiry_minutes(body: dict[str, Any]) -> int:
    value = body.get("expiresInMinutes")
    if value is None:
        return DEFAULT_EXPIRY_MINUTES
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (_MIN_EXPIRY <= value <= _MAX_EXPIRY)
    ):
        message = (
            f"ExpiresInMinutes value {value} is invalid. "
            f"Value must be within the [{_MIN_EXPIRY}, {_MAX_EXPIRY}] interval."
        )
        raise validation_error(message, "ExpiresInMinutes")
    return value
