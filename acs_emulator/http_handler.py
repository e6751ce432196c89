"""One connection: HTTP/1.1 keep-alive around wsgiref's WSGI gateway, TLS or plain.

wsgiref's own handler answers one HTTP/1.0 request per connection; the SDKs' pooled sessions
expect the connection to stay open, so this one loops and speaks HTTP/1.1.
"""

from __future__ import annotations

import contextlib
import io
from typing import TYPE_CHECKING, Any
from wsgiref.handlers import SimpleHandler
from wsgiref.simple_server import WSGIRequestHandler

from acs_emulator.wire import json_bytes

if TYPE_CHECKING:
    from wsgiref.headers import Headers

    from acs_emulator.wsgi import EmulatorWsgi

IDLE_TIMEOUT_SECONDS = 120
HANDSHAKE_TIMEOUT_SECONDS = 10
MAX_LINE_BYTES = 65_536
MAX_BODY_BYTES = 1 << 20
_TLS_HANDSHAKE = b"\x16"  # the first byte of the record that opens every TLS connection
_TLS_ON_PLAIN_PORT = (
    "This emulator serves plain HTTP. from_connection_string() always uses https: start the "
    "emulator with --tls, or build the client from the http:// endpoint and an AzureKeyCredential."
)


class KeepAliveHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.1"  # never HTTP/0.9, whose answers have no status line
    timeout = IDLE_TIMEOUT_SECONDS
    disable_nagle_algorithm = True  # each answer leaves in one write; no delayed-ACK stalls

    def __init__(
        self, request: Any, client_address: Any, server: Any, *, wsgi: EmulatorWsgi, tls: bool
    ) -> None:
        """The server binds wsgi and tls with functools.partial (as http.server's directory)."""
        self.wsgi = wsgi
        self.tls = tls
        super().__init__(request, client_address, server)  # serves the connection, then returns

    def setup(self) -> None:
        if self.tls:  # here, in the connection's thread, so a slow client blocks no one
            self.request.settimeout(HANDSHAKE_TIMEOUT_SECONDS)
            self.request.do_handshake()
        super().setup()

    def handle(self) -> None:
        self.close_connection = True
        self.requestline, self.request_version, self.command = "", "", ""  # for early refusals
        with contextlib.suppress(OSError):  # the client went away or idled out
            if not self.tls and self._tls_hello_next():
                self._refuse_tls()
                return
            self.handle_one_request()
            while not self.close_connection:
                self.handle_one_request()

    def handle_one_request(self) -> None:
        """parse_request and the checks answer what they refuse, and close the connection."""
        self.raw_requestline = self.rfile.readline(MAX_LINE_BYTES + 1)
        if not self.raw_requestline:
            self.close_connection = True
        elif len(self.raw_requestline) > MAX_LINE_BYTES:
            self.send_error(414)
        elif self.parse_request() and self._body_framing_ok():
            self._answer()

    def _answer(self) -> None:
        answer = io.BytesIO()
        gateway = _Http11Gateway(self.rfile, answer, self.get_stderr(), self.get_environ())
        gateway.closing = self.close_connection
        gateway.run(self.wsgi)
        self.wfile.write(answer.getvalue())  # one write: wsgiref's would be several packets

    def _body_framing_ok(self) -> bool:
        """Only Content-Length bodies within the limit: anything else would desynchronise the
        next request on this connection."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.send_error(411, "Chunked bodies are not supported.")
            return False
        length = self.headers.get("Content-Length", "0")
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            self.send_error(413, "The body is too large or its length invalid.")
            return False
        return True

    def _tls_hello_next(self) -> bool:
        """A TLS client on the plain port: its hello has no newline, so reading a request line
        would wait until the idle timeout, and the client with it."""
        reader = self.rfile
        return isinstance(reader, io.BufferedReader) and reader.peek(1)[:1] == _TLS_HANDSHAKE

    def _refuse_tls(self) -> None:
        """Any plain answer makes the client's TLS layer fail at once ("wrong version number")."""
        body = json_bytes({"error": {"code": "BadRequest", "message": _TLS_ON_PLAIN_PORT}})
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def get_environ(self) -> dict[str, str]:
        environ = super().get_environ()
        # As sent, for signatures: not self.path, whose leading "//" the stdlib collapses.
        environ["REQUEST_URI"] = self.requestline.split()[1]
        if "Content-Type" not in self.headers:
            del environ["CONTENT_TYPE"]  # wsgiref fills in text/plain
        if self.tls:
            environ["HTTPS"] = "on"  # makes wsgi.url_scheme https
        return environ

    def version_string(self) -> str:
        """The Server header of refusals (answers from the application carry none)."""
        return "acs-emulator"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the WSGI application logs requests when asked to."""


class _Http11Gateway(SimpleHandler):
    """Runs the application for one request. wsgiref's says HTTP/1.0, which would tell clients
    to close after every answer; no Server header, as the service sends none we know of."""

    http_version = "1.1"
    closing = False  # the connection closes after this answer: say so
    headers: Headers  # the answer's, set by start_response

    def cleanup_headers(self) -> None:
        super().cleanup_headers()
        if self.closing:
            self.headers["Connection"] = "close"
