"""`roombot serve`: the HTTP server Slack calls, until SIGTERM or SIGINT."""

from __future__ import annotations

import faulthandler
import logging
import threading
from collections.abc import Callable

from bot.config import Settings
from bot.run_modes.http_routes import wsgi_app
from bot.run_modes.http_server import HttpServer
from bot.run_modes.process import require_settings, stop_on_signals
from bot.run_modes.runtime import Runtime, build_runtime
from bot.services.errors import ConfigurationError

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
        runtime = build_runtime(settings)
    except BaseException:
        server.stop(grace_s=0)  # nothing was served yet: just free the port
        raise
    return serve_runtime(runtime, server, stop=stop)


def listen(host: str, port: int) -> HttpServer:
    """Bind the port first: a port in use fails in a second, before migrations or ACS."""
    try:
        return HttpServer(host=host, port=port)
    except OSError as exc:
        raise ConfigurationError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def serve_runtime(
    runtime: Runtime,
    server: HttpServer,
    *,
    stop: threading.Event,
    on_listening: Callable[[int], None] | None = None,
) -> int:
    """Serve `runtime` until `stop` is set; then finish requests in flight and close it."""
    server.start(wsgi_app(runtime.app, runtime.health.check))
    log.info("listening port=%s multi_workspace=%s", server.port, _oauth(runtime))
    if on_listening is not None:
        on_listening(server.port)
    stop.wait()
    log.info("shutting down: finishing requests in flight")
    # A stop that outlasts the grace period is stuck somewhere: show the operator where.
    faulthandler.dump_traceback_later(STUCK_STOP_SECONDS, exit=False)
    try:
        if not server.stop():
            log.warning("some requests were still running when the grace period ended")
        runtime.close()
    finally:
        faulthandler.cancel_dump_traceback_later()
    log.info("stopped")
    return 0


def _oauth(runtime: Runtime) -> str:
    return "yes" if runtime.app.oauth_flow is not None else "no"
