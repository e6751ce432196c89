"""`roombot serve`: the HTTP server Slack calls, until SIGTERM or SIGINT."""

from __future__ import annotations

import faulthandler
import logging
from typing import TYPE_CHECKING

from bot.app import assemble
from bot.run_modes.http_routes import wsgi_app
from bot.run_modes.http_server import HttpServer
from bot.run_modes.process import Process, ProcessKind, require_settings, stop_on_signals
from bot.services.errors import ConfigurationError

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable

    from slack_bolt import App

    from bot.config import Settings

log = logging.getLogger(__name__)

DEFAULT_HOST = "0.0.0.0"  # noqa: S104 - a server in a container must listen beyond loopback
# Past the HTTP grace period plus a slow ACS call or two: by then the stop is stuck.
STUCK_STOP_SECONDS = 40.0


def serve(settings: Settings, *, host: str = DEFAULT_HOST, port: int | None = None) -> int:
    """Serve until SIGTERM or SIGINT, then shut down gracefully."""
    require_settings(settings, "serve")
    stop = stop_on_signals()  # before anything starts, so no signal finds a half-built process
    server = listen(host, settings.port if port is None else port)
    try:
        process = assemble(settings, ProcessKind.SERVING)
    except BaseException:
        server.stop(grace_s=0)  # nothing was served yet: just free the port
        raise
    return serve_process(process, server, stop=stop, signing_secret=_signing_secret(settings))


def listen(host: str, port: int) -> HttpServer:
    """Bind the port first: a port in use fails in a second, before migrations or ACS."""
    try:
        return HttpServer(host=host, port=port)
    except OSError as exc:
        raise ConfigurationError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def serve_process(
    process: Process,
    server: HttpServer,
    *,
    stop: threading.Event,
    signing_secret: str,
    on_listening: Callable[[int], None] | None = None,
) -> int:
    """Serve `process` until `stop` is set; then finish requests in flight and close it.
    Requests to /slack/events must be signed with `signing_secret`."""
    assert process.app is not None
    assert process.health is not None
    routes = wsgi_app(
        process.app,
        process.health.check,
        signing_secret=signing_secret,
        web=process.web,
        acs_events=process.acs_events,
    )
    server.start(routes)
    log.info("listening port=%s multi_workspace=%s", server.port, _oauth(process.app))
    if on_listening is not None:
        on_listening(server.port)
    stop.wait()
    log.info("shutting down: finishing requests in flight")
    # A stop that outlasts the grace period is stuck somewhere: show the operator where.
    faulthandler.dump_traceback_later(STUCK_STOP_SECONDS, exit=False)
    try:
        try:
            if not server.stop():
                log.warning("some requests were still running when the grace period ended")
        finally:  # the work processes and the store are closed whatever the server did
            process.close()
    finally:
        faulthandler.cancel_dump_traceback_later()
    log.info("stopped")
    return 0


def _signing_secret(settings: Settings) -> str:
    secret = settings.slack_signing_secret
    assert secret is not None  # require_settings stopped us before, naming the variable
    return secret.get_secret_value()


def _oauth(app: App) -> str:
    return "yes" if app.oauth_flow is not None else "no"
