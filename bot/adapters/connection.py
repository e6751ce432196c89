"""Parse ACS connection strings and endpoints without losing the scheme.

The SDKs' `from_connection_string` rewrites `http://` endpoints to `https://` (ACS_REST.md §0.1),
which breaks the local emulator; RoomBot parses the string itself and builds clients from the
endpoint it found. Error messages name the problem but never repeat the access key.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.services.errors import ConfigurationError

_EXPECTED = "expected 'endpoint=https://<resource>.communication.azure.com/;accesskey=<key>'"


@dataclass(frozen=True)
class KeyConnection:
    """An ACS endpoint plus its HMAC access key (kept out of repr so logs never show it)."""

    endpoint: str
    access_key: str = field(repr=False)


def parse_connection_string(text: str) -> KeyConnection:
    """`endpoint=...;accesskey=...` in any order or case, with stray spaces and semicolons."""
    parts = _key_values(text)
    endpoint = parts.get("endpoint")
    access_key = parts.get("accesskey")
    if not endpoint:
        raise ConfigurationError(f"The ACS connection string has no endpoint; {_EXPECTED}.")
    if not access_key:
        raise ConfigurationError(f"The ACS connection string has no accesskey; {_EXPECTED}.")
    _require_base64(access_key)
    return KeyConnection(endpoint=normalise_endpoint(endpoint), access_key=access_key)


def normalise_endpoint(text: str) -> str:
    """`scheme://host[:port]`, no trailing slash; a missing scheme means https, as in the SDKs."""
    raw = text.strip()
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigurationError(f"The ACS endpoint {text.strip()!r} is not an http(s) URL.")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise ConfigurationError(
            f"The ACS endpoint {text.strip()!r} must be just scheme and host, with no path."
        )
    # The Identity client signs the host with any trailing slash still on it (ACS_REST.md §0.4).
    return f"{parts.scheme.lower()}://{parts.netloc}"


def _key_values(text: str) -> dict[str, str]:
    if not text or not text.strip():
        raise ConfigurationError(f"The ACS connection string is empty; {_EXPECTED}.")
    found: dict[str, str] = {}
    for segment in filter(None, (s.strip() for s in text.split(";"))):
        name, equals, value = segment.partition("=")  # base64 keys end in '=': split once
        if not equals:
            # Do not echo the segment: it may be a key that lost its 'accesskey=' prefix.
            raise ConfigurationError(
                f"The ACS connection string has a part without '='; {_EXPECTED}."
            )
        key = name.strip().lower()
        if key in found:
            raise ConfigurationError(f"The ACS connection string sets {key} twice.")
        found[key] = value.strip()
    return found


def _require_base64(access_key: str) -> None:
    # The HMAC policy decodes the key on every request; a bad key would fail there with a bare
    # binascii error, so refuse it up front.
    try:
        base64.b64decode(access_key, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigurationError(
            "The ACS connection string's accesskey is not valid base64; copy it again "
            "from the Azure portal (Keys blade)."
        ) from None
