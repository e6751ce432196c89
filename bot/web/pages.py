"""The join page, its sign-in and its static files: a Flask app beside Bolt on RoomBot's
waitress server (bot/run_modes/http_routes.py sends it /r/, /auth/, /api/ and /static/).

GET never changes anything (Slack's link previewer fetches every posted URL): the page is an
HTML shell; the token comes from POST /api/rooms/<key>/join (bot/web/join_api.py).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from flask import Flask, Response, abort, redirect, render_template, request, send_from_directory

from bot.services.domain import RoomState
from bot.services.errors import RoomBotError
from bot.services.joining import JoinRefused
from bot.web import join_api
from bot.web.answers import json_answer
from bot.web.calendar import room_event
from bot.web.compressed import accepts_gzip
from bot.web.security import new_nonce, page_headers
from bot.web.sessions import (
    SESSION_COOKIE,
    SESSION_SECONDS,
    SIGNIN_COOKIE,
    SIGNIN_SECONDS,
    set_cookie,
)
from bot.web.signin import CALLBACK_PATH, START_PATH, SignInFailed

if TYPE_CHECKING:
    from werkzeug.wrappers import Response as BaseResponse

    from bot.web.parts import WebParts
    from bot.web.vendor import VendorBuild

log = logging.getLogger(__name__)

HERE: Final = Path(__file__).parent
OWN_STATIC: Final = ("join.js", "join.css", "calling-sdk.js", "calling-demo.js")
NOT_SET_UP: Final = (
    "Sign-in is not set up on this RoomBot. Its operator must set SLACK_CLIENT_ID, "
    "SLACK_CLIENT_SECRET, ROOMBOT_PUBLIC_URL and ROOMBOT_SESSION_SECRET."
)


def web_app(parts: WebParts) -> Flask:
    app = Flask(__name__, static_folder=None, template_folder=str(HERE / "templates"))
    join_api.register(app, parts)

    @app.errorhandler(RoomBotError)
    def unavailable(failed: RoomBotError) -> Response:
        """The store or ACS cannot answer now: say so in one line, never a stack trace."""
        log.warning("join page: %s %s: %s", request.method, request.path, failed.message)
        if request.path.startswith("/api/"):
            return json_answer(503, error="unavailable", message=failed.message)
        return _page("message.html", new_nonce(), 503, title="Try again soon", text=failed.message)

    @app.get("/r/<key>")
    def join_page(key: str) -> Response:
        nonce = new_nonce()
        try:
            room = parts.joining.room(key)
        except JoinRefused as refused:
            return _page("message.html", nonce, 404, title="No such room", text=refused.message)
        session = parts.session_of(request.cookies.get(SESSION_COOKIE))
        return _page(
            "join.html",
            nonce,
            200,
            room=room,
            key=key,
            session=session,
            sign_in_url=f"{START_PATH}?next=/r/{key}" if parts.can_sign_in else None,
            not_set_up=None if parts.can_sign_in else NOT_SET_UP,
            calling=parts.calling,
            calling_endpoint=parts.calling_endpoint,
            import_map=_import_map(parts.vendor),
            connect=_origin(parts.calling_endpoint),
        )

    @app.get("/r/<key>/calendar.ics")
    def calendar(key: str) -> Response:
        try:
            room = parts.joining.room(key)
        except JoinRefused:
            abort(404)
        if room.state is RoomState.DELETED:  # nothing left to put in a calendar
            abort(404)
        body = room_event(room, join_url=f"{parts.public_url}/r/{key}", now=parts.joining.now())
        response = Response(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = f'attachment; filename="room-{room.number}.ics"'
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.get(START_PATH)
    def sign_in_start() -> BaseResponse:
        target = request.args.get("next", "")
        if not (parts.cookies and parts.signin) or not _is_join_path(target):
            abort(404)
        state, cookie = parts.cookies.new_signin(target)
        response = redirect(parts.signin.authorize_url(state), code=302)
        set_cookie(response, SIGNIN_COOKIE, cookie, age=SIGNIN_SECONDS, secure=parts.secure_cookies)
        return response

    @app.get(CALLBACK_PATH)
    def sign_in_callback() -> BaseResponse:
        if not (parts.cookies and parts.signin):
            abort(404)
        expected = parts.cookies.signin(request.cookies.get(SIGNIN_COOKIE))
        code, state = request.args.get("code", ""), request.args.get("state", "")
        try:
            if expected is None or not code:
                raise SignInFailed("This sign-in was cancelled or has expired. Try again.")
            who = parts.signin.finish(code, state, expected)
        except SignInFailed as failed:
            page = _page("message.html", new_nonce(), 400, title="Sign-in failed", text=str(failed))
            page.delete_cookie(SIGNIN_COOKIE, path="/")
            return page
        session = parts.cookies.new_session(
            team_id=who.workspace.team_id,
            enterprise_id=who.workspace.enterprise_id,
            user_id=who.user_id,
            name=who.name,
        )
        response = redirect(expected.next_path, code=303)
        set_cookie(
            response, SESSION_COOKIE, session, age=SESSION_SECONDS, secure=parts.secure_cookies
        )
        response.delete_cookie(SIGNIN_COOKIE, path="/")
        return response

    @app.get("/static/vendor/<name>")
    def vendor_file(name: str) -> Response:
        found = parts.vendor.by_url_name(name) if parts.vendor else None
        if found is None or parts.vendor is None:
            abort(404)
        gzipped = f"{found.name}.gz"  # written beside it by bot/web/build.mjs
        directory = parts.vendor.directory
        if (
            accepts_gzip(request.headers.get("Accept-Encoding", ""))
            and (directory / gzipped).is_file()
        ):
            response = send_from_directory(directory, gzipped)
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = send_from_directory(directory, found.name)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.headers["Vary"] = "Accept-Encoding"
        _typed(response, found.name)
        return response

    @app.get("/static/<name>")
    def own_file(name: str) -> Response:
        if name not in OWN_STATIC:
            abort(404)
        response = send_from_directory(HERE / "static", name, max_age=300)
        _typed(response, name)
        return response

    return app


def _page(
    template: str, nonce: str, status: int, *, connect: str | None = None, **context: object
) -> Response:
    """A page; `connect` is one more origin its scripts may reach (the demo's emulator)."""
    body = render_template(template, nonce=nonce, **context)
    response = Response(body, status=status, mimetype="text/html")
    response.headers.update(page_headers(nonce, extra_connect=connect))
    return response


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def _import_map(vendor: VendorBuild | None) -> str | None:
    if vendor is None:
        return None
    imports = {
        spec: f"/static/vendor/{vendor.file(name).url_name}"
        for spec, name in vendor.imports.items()
    }
    # Inside <script>: "</" must not appear raw.
    return json.dumps({"imports": imports}).replace("</", "<\\/")


def _is_join_path(target: str) -> bool:
    """Only back to a join page: an open redirect would let a link send people anywhere."""
    key = target.removeprefix("/r/")
    return (
        target.startswith("/r/") and bool(key) and key.replace("-", "").replace("_", "").isalnum()
    )


def _typed(response: Response, name: str) -> None:
    if name.endswith(".js"):
        response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    elif name.endswith((".txt", "LICENSE")):
        response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["X-Content-Type-Options"] = "nosniff"
