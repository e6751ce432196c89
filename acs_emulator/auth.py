"""HMAC-SHA256 request verification, as the ACS data plane does it (ACS_REST.md §1 and §7)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote

from acs_emulator.errors import denied

if TYPE_CHECKING:
    from collections.abc import Iterator

    from acs_emulator.wire import Request

SIGNED_HEADERS = "x-ms-date;host;x-ms-content-sha256"
_SCHEME = "HMAC-SHA256 "
_WHATWG_SAFE = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*-._")


def content_hash(body: bytes) -> str:
    return base64.b64encode(hashlib.sha256(body).digest()).decode()


def string_to_sign(method: str, path_and_query: str, date: str, host: str, body_hash: str) -> str:
    return f"{method.upper()}\n{path_and_query}\n{date};{host};{body_hash}"


def signature(key: bytes, text: str) -> str:
    return base64.b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode()


def whatwg_form(target: str) -> str:
    """What a JS client signs: pathname + "?" + URLSearchParams.toString() of the query."""
    path, _, query = target.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    return path + "?" + "&".join(f"{_form_encode(k)}={_form_encode(v)}" for k, v in pairs)


def _form_encode(text: str) -> str:
    return "".join(
        chr(byte) if byte in _WHATWG_SAFE else "+" if byte == 0x20 else f"%{byte:02X}"
        for byte in text.encode()
    )


class HmacVerifier:
    """Accepts a request only if its signature matches one of the forms real SDKs sign."""

    def __init__(self, access_key: str, max_skew_seconds: int) -> None:
        self._key = base64.b64decode(access_key)
        self._max_skew = max_skew_seconds

    def verify(self, request: Request) -> None:
        """Raise the service's 401 Denied unless the request is signed with our key."""
        claimed = _claimed_signature(request.header("authorization"))
        body_hash = request.header("x-ms-content-sha256")
        date = request.header("x-ms-date")
        if claimed is None or not self._fresh(date):
            raise denied()
        if not hmac.compare_digest(body_hash.encode(), content_hash(request.body).encode()):
            raise denied()
        if not any(
            hmac.compare_digest(claimed.encode(), signature(self._key, text).encode())
            for text in _candidate_texts(request, date, body_hash)
        ):
            raise denied()

    def _fresh(self, date: str) -> bool:
        try:
            sent = parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
        return abs(time.time() - sent) <= self._max_skew


def _claimed_signature(authorization: str) -> str | None:
    if not authorization.startswith(_SCHEME):
        return None
    fields = dict(part.partition("=")[::2] for part in authorization[len(_SCHEME) :].split("&"))
    if fields.get("SignedHeaders", "").lower() != SIGNED_HEADERS:
        return None
    return fields.get("Signature") or None


def _candidate_texts(request: Request, date: str, body_hash: str) -> Iterator[str]:
    """Raw (Identity, JS), percent-decoded (Python Rooms) and WHATWG (JS) path forms, each with
    the Host header and with Host + "/" (Python Identity given an endpoint ending in "/").
    Lazy, cheapest first: most requests match the first or second form."""
    for host in (request.host, request.host + "/"):
        yield string_to_sign(request.method, request.target, date, host, body_hash)
        decoded = unquote(request.target)
        if decoded != request.target:
            yield string_to_sign(request.method, decoded, date, host, body_hash)
        yield string_to_sign(request.method, whatwg_form(request.target), date, host, body_hash)
