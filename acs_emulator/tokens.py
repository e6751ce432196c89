"""JWT-shaped access tokens, laid out like the service's (ACS_REST.md §3).

Other ACS SDKs read `exp` by decoding the payload with *standard* base64 (`b64decode(part +
"==")`), which silently drops "-" and "_". Standard base64 of ASCII text only yields "+" or "/"
where the third byte of a 3-byte group is ">", "?", "~" or DEL, and the payload JSON holds none
of those (ids and scopes are validated), so the unpadded segment is plain letters and digits:
readable by standard and URL-safe decoders alike.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

_HEADER = {"alg": "HS256", "kid": "acs-emulator", "x5t": "acs-emulator", "typ": "JWT"}
_SCOPE_BITS = 1792  # what real tokens carry in "scp"


class TokenMinter:
    def __init__(self, resource_id: str) -> None:
        self._resource_id = resource_id
        self._key = secrets.token_bytes(32)  # nothing verifies these tokens; never persisted

    def mint(self, identity_id: str, scopes: list[str], issued_at: int, expires_at: int) -> str:
        """A token for `identity_id`; times are Unix seconds."""
        payload = {
            "skypeid": identity_id.removeprefix("8:"),
            "scp": _SCOPE_BITS,
            "csi": str(issued_at),
            "exp": expires_at,
            "acsScope": ",".join(scopes),
            "resourceId": self._resource_id,
            "iat": issued_at,
        }
        unsigned = f"{_segment(_HEADER)}.{_segment(payload)}"
        mac = hmac.new(self._key, unsigned.encode(), hashlib.sha256).digest()
        return f"{unsigned}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def _segment(claims: dict[str, Any]) -> str:
    text = json.dumps(claims, separators=(",", ":"), ensure_ascii=True)
    return base64.b64encode(text.encode()).decode().rstrip("=")
