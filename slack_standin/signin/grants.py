"""Registered Sign in with Slack clients, and what a sign-in grants: codes, then user tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from slack_standin.signin.keys import SigningKey
from slack_standin.wire import ApiError

CODE_LIFETIME = 600.0  # seconds: Slack's OAuth codes expire after ten minutes
SCOPES = frozenset({"openid", "profile", "email"})  # all that Sign in with Slack offers
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class OidcClient:
    """A Slack app as Sign in with Slack knows it: its credentials and its Redirect URLs."""

    client_id: str
    client_secret: str
    redirect_urls: tuple[str, ...]

    def __post_init__(self) -> None:
        if not (self.client_id and self.client_secret):
            raise ValueError("an OIDC client needs a client_id and a client_secret")
        if not self.redirect_urls:
            raise ValueError("an OIDC client needs at least one redirect URL")
        for url in self.redirect_urls:
            _check_redirect_url(url)


def _check_redirect_url(url: str) -> None:
    parts = urlsplit(url)
    # Slack's app settings take HTTPS redirect URLs, and plain HTTP only on the developer's
    # own machine; anything else could hand a code to whoever listens on the network.
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in _LOOPBACK:
        return
    raise ValueError(f"redirect URL {url!r} must be https (http only on localhost)")


@dataclass(frozen=True)
class Authorization:
    """One /openid/connect/authorize request that passed the client checks."""

    client_id: str
    redirect_uri: str
    redirect_uri_sent: bool  # named in the request, so the token call must name it again
    scopes: frozenset[str]
    state: str | None
    nonce: str | None


@dataclass(frozen=True)
class Grant:
    """A person's yes to an authorization: who, and when they signed in."""

    authorization: Authorization
    user_id: str
    auth_time: float

    @property
    def scopes(self) -> list[str]:
        return sorted(self.authorization.scopes)


@dataclass
class _Code:
    grant: Grant
    used: bool = False


class SignIns:
    """Everything Sign in with Slack remembers; callers hold the stand-in's lock."""

    def __init__(self) -> None:
        self.key = SigningKey()
        self._clients: dict[str, OidcClient] = {}
        self._pending: dict[str, Authorization] = {}
        self._codes: dict[str, _Code] = {}
        self._tokens: dict[str, Grant] = {}

    def register(self, client: OidcClient) -> None:
        self._clients[client.client_id] = client

    def client(self, client_id: str | None) -> OidcClient | None:
        return self._clients.get(client_id or "")

    def hold(self, authorization: Authorization) -> str:
        """Keep a request while the sign-in page is open; the id goes into the page's links."""
        request_id = secrets.token_urlsafe(16)
        self._pending[request_id] = authorization
        return request_id

    def pending(self, request_id: str | None) -> Authorization | None:
        return self._pending.get(request_id or "")

    def close(self, request_id: str) -> None:
        """The page was answered: its links must not mint a second code."""
        self._pending.pop(request_id, None)

    def issue_code(self, grant: Grant) -> str:
        # Slack's codes look like "<team number>.<number>.<64 hex digits>".
        code = f"{secrets.randbelow(10**10)}.{secrets.randbelow(10**13)}.{secrets.token_hex(32)}"
        self._codes[code] = _Code(grant)
        return code

    def valid_code(self, code: str, client_id: str, now: float) -> Grant:
        """The grant behind an unused, unexpired code issued to this client; else invalid_code."""
        found = self._codes.get(code)
        if found is None or found.used or found.grant.authorization.client_id != client_id:
            raise ApiError("invalid_code")
        if now - found.grant.auth_time >= CODE_LIFETIME:
            raise ApiError("invalid_code")
        return found.grant

    def spend(self, code: str) -> None:
        self._codes[code].used = True

    def mint_token(self, grant: Grant) -> str:
        """A user token (xoxp-) that speaks for the grant: openid.connect.userInfo reads it."""
        token = (
            f"xoxp-{secrets.randbelow(10**11)}-{secrets.randbelow(10**11)}-"
            f"{secrets.randbelow(10**12)}-{secrets.token_hex(16)}"
        )
        self._tokens[token] = grant
        return token

    def grant_for(self, token: str) -> Grant | None:
        return self._tokens.get(token)
