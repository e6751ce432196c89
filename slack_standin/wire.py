"""How Slack reads a request: form or JSON body, token from the header or a field."""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

# Fields Slack accepts as a JSON string in a form body and as a value in a JSON body.
JSON_FIELDS = frozenset(
    {"blocks", "attachments", "view", "files", "metadata", "outputs", "unfurls"}
)
# What Slack answers when such a field is not JSON; else `invalid_<field>`.
_UNREADABLE = {"unfurls": "invalid_unfurls_format"}

_SECRETS = frozenset({"client_secret", "refresh_token"})


class ApiError(Exception):
    """A Slack error response: `{"ok": false, "error": code}`.

    `messages` are the human-readable reasons Slack adds under `response_metadata.messages`
    (`"[ERROR] … [json-pointer:/blocks/0/text]"`); `fields` are extra top-level fields some
    errors carry, e.g. `needed` and `provided` on `missing_scope`.
    """

    def __init__(
        self,
        code: str,
        status: int = 200,
        retry_after: int | None = None,
        *,
        messages: Sequence[str] = (),
        fields: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.retry_after = retry_after
        self.messages = list(messages)
        self.fields = dict(fields or {})


def parse_body(raw: bytes, content_type: str, query: str) -> dict[str, Any]:
    """Query string and body merged, JSON fields decoded; the body wins on a clash."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if content_type.startswith("application/json"):
        args.update(_json_object(raw))
    elif content_type.startswith("multipart/"):
        raise ApiError("invalid_form_data")  # only the long-retired files.upload sends these
    elif raw:
        args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    return {k: _decoded(k, v) for k, v in args.items()}


def bearer_token(authorization: str | None, args: Mapping[str, Any]) -> str | None:
    """slack_sdk sends `Authorization: Bearer`; older callers post a `token` field."""
    if authorization and authorization.startswith("Bearer "):
        return authorization.removeprefix("Bearer ").strip()
    token = args.get("token")
    return str(token) if token else None


def basic_credentials(authorization: str | None) -> dict[str, str]:
    """oauth.v2.access: slack_sdk sends the client id and secret as HTTP Basic auth."""
    if not authorization or not authorization.startswith("Basic "):
        return {}
    try:
        decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
    except (binascii.Error, UnicodeDecodeError):
        return {}
    client_id, _, client_secret = decoded.partition(":")
    return {"client_id": client_id, "client_secret": client_secret}


def for_the_record(args: Mapping[str, Any]) -> dict[str, Any]:
    """Args safe to keep and show: no token, secrets masked."""
    kept = {k: v for k, v in args.items() if k != "token"}
    for secret in _SECRETS & kept.keys():
        kept[secret] = "(redacted)"
    return kept


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw or b"{}")
    except ValueError as exc:
        raise ApiError("invalid_json") from exc
    if not isinstance(body, dict):
        raise ApiError("invalid_json")
    return body


def _decoded(key: str, value: Any) -> Any:
    if key in JSON_FIELDS and isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError as exc:
            raise ApiError(_UNREADABLE.get(key, f"invalid_{key}")) from exc
    return value


class Args:
    """Typed reads of call arguments, whichever transport carried them.

    `token` is the call's token from the header or the `token` field, for the few methods
    whose answer depends on whose token it is (openid.connect.userInfo).
    """

    def __init__(self, raw: Mapping[str, Any], token: str | None = None) -> None:
        self.raw = raw
        self.token = token

    def text(self, name: str) -> str | None:
        value = self.raw.get(name)
        return None if value is None or value == "" else str(value)

    def need(self, name: str, error: str) -> str:
        value = self.text(name)
        if value is None:
            raise ApiError(error)
        return value

    def flag(self, name: str) -> bool:
        # Form bodies carry booleans as "1"/"0" or "true"/"false".
        return self.raw.get(name) in (True, 1, "1", "true", "True")

    def number(self, name: str, default: int) -> int:
        value = self.raw.get(name)
        try:
            return int(value) if value not in (None, "") else default
        except (TypeError, ValueError) as exc:
            raise ApiError("invalid_arguments") from exc

    def structured(self, name: str) -> Any:
        """A JSON field (already decoded by `parse_body`), or None."""
        return self.raw.get(name)

    def id_list(self, name: str) -> list[str]:
        """Comma-separated ids (`users=U1,U2`) or a JSON list."""
        value = self.raw.get(name)
        if isinstance(value, list):
            return [str(v) for v in value]
        return [part.strip() for part in str(value or "").split(",") if part.strip()]
