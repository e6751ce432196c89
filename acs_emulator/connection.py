"""A lean HTTP/1.1 connection handler: keep-alive, Content-Length bodies, Expect: 100-continue.

Written instead of using BaseHTTPRequestHandler because its header parsing (the email package)
was the largest single cost per request in profiles; the API needs none of what it adds.
"""

from __future__ import annotations

import contextlib
import io
import socketserver
import sys
from email.utils import formatdate
from http import HTTPStatus
from typing import TYPE_CHECKING

from acs_emulator.wire import Request, Response, json_bytes

if TYPE_CHECKING:
    from acs_emulator.httpd import EmulatorHttpServer

IDLE_TIMEOUT_SECONDS = 120
MAX_LINE_BYTES = 65_536
MAX_HEADERS = 100
MAX_BODY_BYTES = 1 << 20
_TLS_HANDSHAKE = b"\x16"
_TLS_ON_PLAIN_PORT = (
    "This emulator serves plain HTTP. from_connection_string() always uses https: start the "
    "emulator with --tls, or build the client from the http:// endpoint and an AzureKeyCredential."
)


class _Refused(Exception):
    """The request cannot be served; answer `response` and close the connection."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        body = json_bytes({"error": {"code": code, "message": message}})
        self.response = Response(status, body, {"Content-Type": "application/json"})


class HttpConnection(socketserver.StreamRequestHandler):
    timeout = IDLE_TIMEOUT_SECONDS
    disable_nagle_algorithm = True  # each response leaves in one write; no delayed-ACK stalls
    server: EmulatorHttpServer

    def handle(self) -> None:
        with contextlib.suppress(OSError):  # the client went away or idled out
            while self._serve_one():
                pass

    def _serve_one(self) -> bool:
        """Answer one request; False when the connection is to be closed."""
        try:
            request, keep_alive = self._read_request()
        except _Refused as refusal:
            self._write(refusal.response, keep_alive=False)
            return False
        except EOFError:
            return False
        response = self.server.app.handle(request)
        if self.server.log_requests:  # before answering, so the line is out when a client has it
            print(f"{request.method} {request.target} -> {response.status}", file=sys.stderr)
        self._write(response, keep_alive=keep_alive)
        return keep_alive

    def _read_request(self) -> tuple[Request, bool]:
        method, target, version = self._request_line()
        headers = self._headers()
        keep_alive = _keep_alive(version, headers.get("connection", ""))
        body = self._body(headers)
        return Request(method, target, headers, body, self.server.scheme), keep_alive

    def _request_line(self) -> tuple[str, str, str]:
        if self.server.scheme == "http" and self._tls_hello_next():
            raise _Refused(400, "BadRequest", _TLS_ON_PLAIN_PORT)
        line = self._line()
        while line in (b"\r\n", b"\n"):  # RFC 9112 2.2: ignore empty lines before a request
            line = self._line()
        parts = line.decode("latin-1").split()
        if len(parts) != 3 or parts[2] not in ("HTTP/1.1", "HTTP/1.0"):
            raise _Refused(400, "BadRequest", "Malformed HTTP request line.")
        return parts[0], parts[1], parts[2]

    def _tls_hello_next(self) -> bool:
        """A TLS client on the plain port: its hello has no newline, so readline would wait
        until the idle timeout instead of failing fast."""
        reader = self.rfile
        return isinstance(reader, io.BufferedReader) and reader.peek(1)[:1] == _TLS_HANDSHAKE

    def _headers(self) -> dict[str, str]:
        """Names lower-cased; repeated fields joined with ", " (RFC 9110 5.3)."""
        headers: dict[str, str] = {}
        for _ in range(MAX_HEADERS):
            line = self._line()
            if line in (b"\r\n", b"\n"):
                return headers
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon or not name or name != name.strip():
                raise _Refused(400, "BadRequest", "Malformed HTTP header line.")
            key, value = name.lower(), value.strip()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        raise _Refused(431, "RequestHeaderFieldsTooLarge", "Too many header fields.")

    def _body(self, headers: dict[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            raise _Refused(411, "LengthRequired", "Chunked bodies are not supported.")
        length = headers.get("content-length", "0")
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            raise _Refused(413, "PayloadTooLarge", "The body is too large or its length invalid.")
        if int(length) and headers.get("expect", "").lower() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = self.rfile.read(int(length))
        if len(body) != int(length):
            raise EOFError
        return body

    def _line(self) -> bytes:
        line = self.rfile.readline(MAX_LINE_BYTES + 1)
        if not line:
            raise EOFError
        if len(line) > MAX_LINE_BYTES:
            raise _Refused(431, "RequestHeaderFieldsTooLarge", "A request line is too long.")
        return line

    def _write(self, response: Response, *, keep_alive: bool) -> None:
        lines = [
            f"HTTP/1.1 {response.status} {HTTPStatus(response.status).phrase}",
            f"Date: {formatdate(usegmt=True)}",
            f"Content-Length: {len(response.body)}",
            *(f"{name}: {value}" for name, value in response.headers.items()),
        ]
        if not keep_alive:
            lines.append("Connection: close")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + response.body)


def _keep_alive(version: str, connection: str) -> bool:
    """HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 only when asked."""
    tokens = {token.strip().lower() for token in connection.split(",")}
    if version == "HTTP/1.1":
        return "close" not in tokens
    return "keep-alive" in tokens
