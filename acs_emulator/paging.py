"""Continuation tokens and absolute nextLink URLs for the Rooms list operations."""

from __future__ import annotations

import base64
import binascii
import struct
from typing import TYPE_CHECKING
from urllib.parse import quote

from acs_emulator.errors import bad_request
from acs_emulator.versions import ROOMS_VERSIONS

if TYPE_CHECKING:
    from acs_emulator.wire import Request

_MAGIC = b"acs-emulator:"
_LAYOUT = struct.Struct(">BQ")  # api-version index, keyset position


def encode_token(api_version: str, position: int) -> str:
    """Opaque standard base64 (it may hold "+", "/" and "="), like the service's tokens."""
    packed = _MAGIC + _LAYOUT.pack(ROOMS_VERSIONS.index(api_version), position)
    return base64.b64encode(packed).decode()


def decode_token(token: str) -> tuple[str, int]:
    """(api-version of the first page, position) or 400 for a token we did not issue."""
    try:
        packed = base64.b64decode(token, validate=True)
        version_index, position = _LAYOUT.unpack(packed.removeprefix(_MAGIC))
        if not packed.startswith(_MAGIC) or version_index >= len(ROOMS_VERSIONS):
            raise ValueError(token)
    except (binascii.Error, struct.error, ValueError):
        raise bad_request("The continuation token is invalid.") from None
    return ROOMS_VERSIONS[version_index], position


def continuation(request: Request) -> tuple[str, int] | None:
    token = request.query.get("nextLink")
    return None if token is None else decode_token(token)


def next_link(request: Request, token: str, api_version: str) -> str:
    """Absolute, from the request's scheme and Host, carrying the api-version (JS follows it
    verbatim). The token is fully percent-encoded, so a JS client's WHATWG re-serialisation of
    the query equals what it sends (§7); Python re-quotes it and signs it decoded (§0.3)."""
    base = f"{request.scheme}://{request.host}{request.raw_path}"
    return f"{base}?nextLink={quote(token, safe='')}&api-version={api_version}"
