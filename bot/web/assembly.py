"""The join page's parts from the settings, for the composition root (bot/app.py): no page
when Join points at another app (ROOMBOT_JOIN_URL); a page that explains itself when sign-in
or the Calling SDK's build is missing."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.web.events_hook import EVENTS_PATH, events_app
from bot.web.pages import web_app
from bot.web.parts import WebParts
from bot.web.sessions import Cookies
from bot.web.signin import SignInConfig, SlackSignIn
from bot.web.vendor import VendorBuildError, load_vendor

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

    from flask import Flask

    from bot.config import Settings
    from bot.services.container import Services
    from bot.services.domain import Workspace
    from bot.web.vendor import VendorBuild

log = logging.getLogger(__name__)

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def join_web(
    settings: Settings, services: Services, installed: Callable[[Workspace], bool]
) -> Flask | None:
    if settings.roombot_join_url is not None or services.joining is None:
        return None
    secret = settings.roombot_session_secret
    public_url = settings.roombot_public_url or ""
    parts = WebParts(
        joining=services.joining,
        cookies=Cookies(secret.get_secret_value()) if secret is not None else None,
        signin=_signin(settings, installed),
        vendor=_vendor(),
        calling="demo" if acs_is_local(settings) else "sdk",
        calling_endpoint=local_endpoint(settings) or "",
        secure_cookies=not public_url.startswith("http://localhost"),
        public_url=public_url,
        passes=services.join_passes,
    )
    return web_app(parts)


def acs_events_web(
    settings: Settings, services: Services, installed: Callable[[Workspace], bool]
) -> Flask | None:
    """The Event Grid webhook, when ROOMBOT_EVENTGRID_SECRET is set (else none is served)."""
    secret = settings.roombot_eventgrid_secret
    if secret is None or services.call_intake is None:
        return None
    secrets = [part.strip() for part in secret.get_secret_value().split(",")]

    def wake() -> None:
        for tell in services.wake_live_calls:
            tell()

    return events_app(services.call_intake, secrets, installed, wake)


def console_routes(web: WSGIApplication | None, events: WSGIApplication | None) -> WSGIApplication:
    """The console's own server: the webhook at its path, the join page for everything else."""

    def route(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if events is not None and environ.get("PATH_INFO") == EVENTS_PATH:
            return events(environ, start_response)
        if web is not None:
            return web(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
        return [b"Not found"]

    return route


def acs_is_local(settings: Settings) -> bool:
    """ACS is RoomBot's own emulator (`local`, or any endpoint on this machine): no call can
    be carried, so the page runs its demo calling adapter and says so."""
    return settings.uses_local_acs or local_endpoint(settings) is not None


def local_endpoint(settings: Settings) -> str | None:
    """The emulator's address when the connection string points at this machine."""
    secret = settings.acs_connection_string
    if secret is None:
        return None
    for part in secret.get_secret_value().split(";"):
        name, _, value = part.partition("=")
        if name.strip().lower() == "endpoint":
            url = value.strip()
            return url if urlsplit(url).hostname in LOOPBACK else None
    return None


def _signin(settings: Settings, installed: Callable[[Workspace], bool]) -> SlackSignIn | None:
    secret = settings.slack_client_secret
    if not (settings.slack_client_id and secret and settings.roombot_public_url):
        return None
    config = SignInConfig(
        client_id=settings.slack_client_id,
        client_secret=secret.get_secret_value(),
        public_url=settings.roombot_public_url,
        slack_api_url=settings.slack_api_url,
    )
    return SlackSignIn(config, installed)


def _vendor() -> VendorBuild | None:
    try:
        return load_vendor()
    except VendorBuildError as missing:
        log.warning("join page without the Calling SDK: %s", missing)
        return None
