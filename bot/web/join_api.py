"""POST /api/rooms/<key>/join and /token: the ACS token for the signed-in person's own
identity, after the roster and window checks (bot/services/joining.py).

Each call needs the session cookie and its CSRF token echoed in a header (a form on another
site can send the cookie, not the header). Answers are JSON with `Cache-Control: no-store`;
a refusal carries a stable `error` the page acts on. No token is ever logged.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request

from bot.services.domain import Workspace
from bot.services.join_passes import PassRefused
from bot.services.joining import Joiner, JoinRefused, Refusal
from bot.web.answers import json_answer
from bot.web.sessions import CSRF_HEADER, SESSION_COOKIE, SESSION_SECONDS, set_cookie
from bot.web.signin import START_PATH

if TYPE_CHECKING:
    from bot.services.joining import JoinGrant
    from bot.web.parts import WebParts
    from bot.web.sessions import Session

log = logging.getLogger(__name__)

EXCHANGE_PATH = "/api/rooms/session"  # under /api/rooms/, which serve routes to this app
STATUS = {
    Refusal.NO_ROOM: 404,
    Refusal.NOT_INVITED: 403,
    Refusal.NOT_YET_OPEN: 409,
    Refusal.ENDED: 409,
}


def register(app: Flask, parts: WebParts) -> None:
    @app.post("/api/rooms/<key>/join")
    def join(key: str) -> Response:
        return _answer(parts, key, full=True)

    @app.post("/api/rooms/<key>/token")
    def token(key: str) -> Response:
        return _answer(parts, key, full=False)

    @app.post(EXCHANGE_PATH)
    def exchange() -> Response:
        return _exchange(parts)


def _exchange(parts: WebParts) -> Response:
    """A personal join link's pass (from the URL fragment, sent by the page) for a session."""
    asked = request.get_json(silent=True) or {}
    key, token = str(asked.get("key") or ""), str(asked.get("t") or "")
    if parts.passes is None or parts.cookies is None:
        return json_answer(404, error="not_set_up", message="Personal join links are not set up.")
    try:
        holder = parts.passes.redeem(token, key)
    except PassRefused as refused:
        return json_answer(400, error="pass_refused", message=str(refused))
    ws = holder.workspace
    cookie = parts.cookies.new_session(
        team_id=ws.team_id, enterprise_id=ws.enterprise_id, user_id=holder.user_id, name=holder.name
    )
    response = json_answer(200, ok=True)
    set_cookie(response, SESSION_COOKIE, cookie, age=SESSION_SECONDS, secure=parts.secure_cookies)
    return response


def _answer(parts: WebParts, key: str, *, full: bool) -> Response:
    session = parts.session_of(request.cookies.get(SESSION_COOKIE))
    if session is None:
        return json_answer(401, error="signed_out", signInUrl=f"{START_PATH}?next=/r/{key}")
    if not secrets.compare_digest(request.headers.get(CSRF_HEADER, ""), session.csrf):
        return json_answer(403, error="csrf", message="Reload the page and try again.")
    try:
        grant = parts.joining.grant(key, _joiner(session))
    except JoinRefused as refused:  # other RoomBotErrors: the app's handler (bot/web/pages.py)
        return json_answer(
            STATUS[refused.reason], error=refused.reason.value, message=refused.message
        )
    log.info("join_token room=#%s role=%s user=%s", grant.room.number, grant.role, session.user_id)
    return json_answer(200, **(_grant(grant, session) if full else _token(grant)))


def _joiner(session: Session) -> Joiner:
    return Joiner(Workspace(session.enterprise_id, session.team_id), session.user_id)


def _token(grant: JoinGrant) -> dict[str, Any]:
    expires = int(grant.token.expires_on.timestamp() * 1000)
    return {"token": grant.token.token, "expiresOn": expires}


def _grant(grant: JoinGrant, session: Session) -> dict[str, Any]:
    room = grant.room
    return _token(grant) | {
        "roomId": room.acs_room_id,
        "role": grant.role,
        "displayName": session.name,
        "title": room.title,
        "number": room.number,
        "validFrom": room.valid_from.isoformat(),
        "validUntil": room.valid_until.isoformat(),
    }
