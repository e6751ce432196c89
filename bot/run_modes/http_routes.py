"""The WSGI application: /healthz here, everything else to Bolt.

Bolt's handler serves POST /slack/events (commands, interactivity, events; signature always
checked) and, in multi-workspace mode, GET /slack/install and /slack/oauth_redirect.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from slack_bolt.adapter.wsgi import SlackRequestHandler

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from slack_bolt import App

    from bot.services.health import Health

HEALTH_PATH = "/healthz"
EVENTS_PATH = "/slack/events"


def wsgi_app(bolt: App, health: Callable[[], Health]) -> WSGIApplication:
    slack = SlackRequestHandler(bolt, path=EVENTS_PATH)

    def route(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") == "GET":
            return _health(health(), start_response)
        return slack(environ, start_response)

    return route


def _health(report: Health, start_response: StartResponse) -> list[bytes]:
    body = json.dumps(report.as_json()).encode()
    status = "200 OK" if report.ok else "503 Service Unavailable"
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
    ]
    start_response(status, headers)
    return [body]
