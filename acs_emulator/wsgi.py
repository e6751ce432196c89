"""The emulator as a WSGI application: WSGI environ -> wire.Request -> EmulatorApp -> answer.

Signature checks need the path and query exactly as sent, so the target comes from
REQUEST_URI (the handler sets it, as waitress does), never from the decoded PATH_INFO.
"""

from __future__ import annotations

import sys
from http import HTTPStatus
from typing import TYPE_CHECKING

from acs_emulator.wire import Request, Response

if TYPE_CHECKING:
    from collections.abc import Iterable
    from wsgiref.types import StartResponse, WSGIEnvironment

    from acs_emulator.app import EmulatorApp

# Headers WSGI passes without the HTTP_ prefix.
_UNPREFIXED_HEADERS = {"CONTENT_TYPE": "content-type", "CONTENT_LENGTH": "content-length"}


class EmulatorWsgi:
    def __init__(self, app: EmulatorApp, *, log_requests: bool) -> None:
        self._app = app
        self._log_requests = log_requests

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = request_from(environ)
        response = self._app.handle(request)
        if self._log_requests:  # before answering, so the line is out when a client has it
            print(f"{request.method} {request.target} -> {response.status}", file=sys.stderr)
        start_response(_status_line(response.status), _header_list(response))
        return [response.body]


def request_from(environ: WSGIEnvironment) -> Request:
    return Request(
        method=environ["REQUEST_METHOD"],
        target=environ["REQUEST_URI"],
        headers=_headers(environ),
        body=_body(environ),
        scheme=environ["wsgi.url_scheme"],
    )


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    """Names lower-cased with dashes, as on the wire (the server joins repeated fields)."""
    headers = {
        key[5:].replace("_", "-").lower(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key, name in _UNPREFIXED_HEADERS.items():
        if environ.get(key):
            headers[name] = environ[key]
    return headers


def _body(environ: WSGIEnvironment) -> bytes:
    """The server has already checked the length (and refused chunked bodies)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def _status_line(status: int) -> str:
    return f"{status} {HTTPStatus(status).phrase}"


def _header_list(response: Response) -> list[tuple[str, str]]:
    # Stated, so the server need not count: every answer is one small body.
    length = [] if response.status == 204 else [("Content-Length", str(len(response.body)))]
    return [*length, *response.headers.items()]
