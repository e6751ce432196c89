"""RoomBot's own sign-in session for the join page, and the short-lived state of a sign-in
with Slack in progress: both signed cookies (itsdangerous, HMAC-SHA256), nothing on the server.

A session names the Slack user Slack signed in (team, enterprise, user, display name) and
carries the CSRF token that every API call must echo in a header. It lasts SESSION_HOURS;
changing ROOMBOT_SESSION_SECRET signs everyone out.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Final, TypeVar

from itsdangerous import BadSignature, URLSafeTimedSerializer

if TYPE_CHECKING:
    from werkzeug.wrappers import Response as BaseResponse

SESSION_COOKIE: Final = "roombot_session"
SIGNIN_COOKIE: Final = "roombot_signin"
SESSION_SECONDS: Final = 12 * 3600
SIGNIN_SECONDS: Final = 600  # Slack's sign-in page must be done within 10 minutes
CSRF_HEADER: Final = "X-RoomBot-CSRF"


@dataclass(frozen=True)
class Session:
    team_id: str
    enterprise_id: str
    user_id: str
    name: str
    csrf: str

    def __repr__(self) -> str:  # never the CSRF token
        return f"Session(team_id={self.team_id!r}, user_id={self.user_id!r})"


@dataclass(frozen=True)
class SignInState:
    """What the callback must find again: the state and nonce sent to Slack, and where to go."""

    state: str
    nonce: str
    next_path: str


Loaded = TypeVar("Loaded", "Session", "SignInState")


class Cookies:
    """Signs and reads the two cookies; a cookie tampered with, expired or signed with another
    secret reads as absent."""

    def __init__(self, secret: str) -> None:
        digest = {"digest_method": hashlib.sha256}
        self._sessions = URLSafeTimedSerializer(secret, "roombot-session", signer_kwargs=digest)
        self._signins = URLSafeTimedSerializer(secret, "roombot-signin", signer_kwargs=digest)

    def new_session(self, *, team_id: str, enterprise_id: str, user_id: str, name: str) -> str:
        session = Session(team_id, enterprise_id, user_id, name, secrets.token_urlsafe(24))
        return str(self._sessions.dumps(asdict(session)))

    def session(self, cookie: str | None) -> Session | None:
        return _read(Session, self._sessions, cookie, SESSION_SECONDS)

    def new_signin(self, next_path: str) -> tuple[SignInState, str]:
        state = SignInState(secrets.token_urlsafe(24), secrets.token_urlsafe(24), next_path)
        return state, str(self._signins.dumps(asdict(state)))

    def signin(self, cookie: str | None) -> SignInState | None:
        return _read(SignInState, self._signins, cookie, SIGNIN_SECONDS)


def set_cookie(response: BaseResponse, name: str, value: str, *, age: int, secure: bool) -> None:
    """Every RoomBot cookie: HttpOnly, SameSite=Lax, Secure unless served on localhost."""
    response.set_cookie(
        name, value, max_age=age, path="/", httponly=True, secure=secure, samesite="Lax"
    )


def _read(
    kind: type[Loaded], serializer: URLSafeTimedSerializer, cookie: str | None, max_age: int
) -> Loaded | None:
    """The `kind` a cookie holds, or None when it is missing, tampered with, expired or not
    shaped like one."""
    if not cookie:
        return None
    try:
        loaded = serializer.loads(cookie, max_age=max_age)
    except BadSignature:  # also SignatureExpired, its subclass
        return None
    if not isinstance(loaded, dict):
        return None
    try:
        return kind(**{name: str(loaded[name]) for name in kind.__dataclass_fields__})
    except (KeyError, TypeError):
        return None
