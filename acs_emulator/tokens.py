"""JWT-shaped access tokens, laid out like the service's (ACS_REST.md §3), and their check
for the emulator's own calling surface (the only thing here that consumes them).

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
from dataclasses import dataclass
from typing import Any

_HEADER = {"alg": "HS256", "kid": "acs-emulator", "x5t": "acs-emulator", "typ": "JWT"}
_SCOPE_BITS = 1792  # what real tokens carry in "scp"


class TokenMinter:
    def __init__(self, resource_id: str) -> None:
        self._resource_id = resource_id
        self._key = secrets.token_bytes(32)  # never persisted: tokens die with the process

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
        return f"{unsigned}.{self._signature(unsigned)}"

    def verify(self, token: str, now: int) -> TokenClaims | None:
        """The claims of a token this minter signed that is unexpired at `now` (Unix seconds),
        else None. Scope and revocation are the caller's business."""
        unsigned, _, signature = token.rpartition(".")
        if not hmac.compare_digest(signature.encode(), self._signature(unsigned).encode()):
            return None
        try:
            claims = json.loads(base64.b64decode(unsigned.split(".")[1] + "=="))
            parsed = TokenClaims(
                "8:" + str(claims["skypeid"]),
                tuple(str(claims["acsScope"]).split(",")),
                int(claims["iat"]),
                int(claims["exp"]),
                str(claims["resourceId"]),
            )
        except (IndexError, KeyError, TypeError, ValueError):  # signed by us: should not happen
            return None
        return parsed if now < parsed.expires_at else None

    def _signature(self, unsigned: str) -> str:
        mac = hmac.new(self._key, unsigned.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")


@dataclass(frozen=True)
class TokenClaims:
    identity_id: str  # the raw id, "8:acs:..."
    scopes: tuple[str, ...]
    issued_at: int  # Unix seconds
    expires_at: int
    resource_id: str


def _segment(claims: dict[str, Any]) -> str:
    text = json.dumps(claims, separators=(",", ":"), ensure_ascii=True)
    return base64.b64encode(text.encode()).decode().rstrip("=")
