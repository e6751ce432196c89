"""The HTTP side: a threaded loopback server, and `start_slack_standin` to run one."""

from __future__ import annotations

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from slack_standin.calls import CallLog
from slack_standin.faults import Faults
from slack_standin.routing import HttpReply, HttpRequest, Router
from slack_standin.running import RunningStandin
from slack_standin.state import StandinState
from slack_standin.tokens import Tokens
from slack_standin.workspace import Workspace, demo_workspace

if TYPE_CHECKING:
    from collections.abc import Iterable

    from slack_standin.ids import Clock
    from slack_standin.signin.grants import OidcClient

logger = logging.getLogger(__name__)

# Not a secret: the one token a local stand-in accepts unless told otherwise.
LOCAL_BOT_TOKEN = "xoxb-roombot-local"  # noqa: S105

_ROUTES = (
    ("/api/", Router.api),
    ("/respond/", Router.respond),
    ("/upload/v1/", Router.upload),
    ("/openid/connect/", Router.signin),
    ("/.well-known/", Router.discovery),
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # an abandoned client connection must never keep the process alive

    def __init__(self, router: Router) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.router = router


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        self._send(self._route(parts.path, self._request(parts.query)))

    do_GET = do_POST  # Slack takes GET with a query string for read methods too

    def _request(self, query: str) -> HttpRequest:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type") or ""
        return HttpRequest(query, content_type, self.headers.get("Authorization"), body)

    def _route(self, path: str, request: HttpRequest) -> HttpReply:
        for prefix, route in _ROUTES:
            if path.startswith(prefix):
                return route(self.server.router, path.removeprefix(prefix), request)
        return HttpReply(404, b"not found", "text/plain")

    def _send(self, reply: HttpReply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:
        # The default writes every request to stderr, which would garble the console's output.
        logger.debug("slack stand-in: " + format, *args)


def start_slack_standin(
    workspace: Workspace | None = None,
    *,
    bot_token: str = LOCAL_BOT_TOKEN,
    clock: Clock = time.time,
    oidc_clients: Iterable[OidcClient] = (),
) -> RunningStandin:
    """Serve the Slack Web API on a free loopback port until `.stop()` (or the `with` ends).

    `oidc_clients`: apps that may use Sign in with Slack (`RunningStandin.register_oidc_client`
    adds one later, e.g. once the redirect URL's port is known)."""
    state = StandinState(workspace or demo_workspace(), clock, Tokens([bot_token]))
    for client in oidc_clients:
        state.signins.register(client)
    faults, log = Faults(), CallLog()
    server = _Server(Router(state, faults, log))
    state.root_url = f"http://127.0.0.1:{server.server_port}/"
    # A short poll interval keeps stop() (it waits for the next poll) fast in test teardown.
    fast_poll = {"poll_interval": 0.02}
    thread = threading.Thread(target=server.serve_forever, kwargs=fast_poll, daemon=True)
    thread.start()
    return RunningStandin(state, faults, log, bot_token, stop=lambda: _shut(server, thread))


def _shut(server: _Server, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join()
