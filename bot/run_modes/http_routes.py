"""The WSGI application: /healthz here, the join page's paths to its Flask app (bot/web),
/acs/events to the Event Grid webhook (bot/web), everything else to Bolt.

Bolt's handler serves POST /slack/events (commands, interactivity, events) behind
`SlackGuard`, which refuses what is too large, unsigned or unreadable before Bolt parses it;
in multi-workspace mode it also serves GET /slack/install and /slack/oauth_redirect.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.run_modes.slack_guard import SlackGuard

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from slack_bolt import App

    from bot.services.health import Health

HEALTH_PATH = "/healthz"
EVENTS_PATH = "/slack/events"
# The join page, its sign-in, its API and its static files (bot/web/pages.py).
WEB_PREFIXES = ("/r/", "/auth/slack/", "/api/rooms/", "/static/")
ACS_EVENTS_PATH = "/acs/events"  # the Event Grid webhook (bot/web/events_hook.py)


def wsgi_app(
    bolt: App,
    health: Callable[[], Health],
    *,
    signing_secret: str,
    web: WSGIApplication | None = None,
    acs_events: WSGIApplication | None = None,
) -> WSGIApplication:
    slack = SlackGuard(
        SlackRequestHandler(bolt, path=EVENTS_PATH), signing_secret, path=EVENTS_PATH
    )

    def route(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        path = str(environ.get("PATH_INFO") or "")
        if path == HEALTH_PATH and method in {"GET", "HEAD"}:
            return _health(health(), start_response, with_body=method == "GET")
        if web is not None and path.startswith(WEB_PREFIXES):
            return web(environ, start_response)
        if acs_events is not None and path == ACS_EVENTS_PATH:
            return acs_events(environ, start_response)
        return slack(environ, start_response)

    return route


def _health(report: Health, start_response: StartResponse, *, with_body: bool) -> list[bytes]:
    # HEAD gets GET's status and headers (Content-Length included), as HTTP says, and no body:
    # load balancers and uptime checkers probe with either.
    body = json.dumps(report.as_json()).encode()
    status = "200 OK" if report.ok else "503 Service Unavailable"
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ]
    start_response(status, headers)
    return [body] if with_body else []
