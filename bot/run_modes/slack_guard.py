"""Slack's requests, checked before anything parses them: size, then signature, then shape.

Bolt's HTTP adapter reads as many bytes as Content-Length says, decodes and parses them, and
only then checks the signature. So an unsigned `payload=x`, JSON garbage or a body that is not
UTF-8 raised inside Bolt (HTTP 500, a traceback in the log), and an unsigned 50 MB body was
read, decoded and parsed whole. Here the signature is checked first, on the body's bytes; what
passes is parsed the way Slack encodes it, so Bolt only ever sees bodies it can read. Each refusal
is one line in the request log, never with the body or a header's value.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

from bot.run_modes.http_server import MAX_BODY_BYTES

if TYPE_CHECKING:
    from collections.abc import Iterable
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

# The request log (bot/listeners/request_log.py): refusals sit with the requests Bolt answers.
log = logging.getLogger("roombot.requests")

FRESH_SECONDS = 300  # Slack's rule: a request signed more than 5 minutes from now is a replay


@dataclass(frozen=True)
class Refusal:
    status: str
    outcome: str
    reason: str
    level: int = logging.INFO


TOO_LARGE = Refusal("413 Request Entity Too Large", "too_large", "body_over_limit")
# Only a holder of the signing secret can send these: worth a warning.
MALFORMED = Refusal("400 Bad Request", "malformed", "unparsable_body", logging.WARNING)


def _unsigned(reason: str) -> Refusal:
    return Refusal("401 Unauthorized", "rejected", reason)


class SlackGuard:
    """WSGI middleware in front of Bolt's handler for POSTs to `path`; passes the rest on."""

    def __init__(self, app: WSGIApplication, signing_secret: str, *, path: str) -> None:
        self._app = app
        self._path = path
        self._verifier = _BytesVerifier(signing_secret)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != self._path:
            return self._app(environ, start_response)
        started = time.perf_counter()
        refusal = self._check(environ)
        if refusal is not None:
            return _refuse(refusal, time.perf_counter() - started, start_response)
        return self._app(environ, start_response)

    def _check(self, environ: WSGIEnvironment) -> Refusal | None:
        """Why the request is refused, if it is; else hands the body on to Bolt, read once."""
        body = _read_at_most(environ, MAX_BODY_BYTES)
        if body is None:
            return TOO_LARGE
        problem = self._signature_problem(body, environ)
        if problem is not None:
            return _unsigned(problem)
        if not _parses_as_bolt_will(body, environ.get("CONTENT_TYPE")):
            return MALFORMED
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return None

    def _signature_problem(self, body: bytes, environ: WSGIEnvironment) -> str | None:
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not (timestamp and signature):
            return "unsigned"
        # The SDK would raise on these (int() of the timestamp, comparing non-ASCII text).
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            return "garbled_timestamp"
        if not signature.isascii():
            return "garbled_signature"
        if abs(self._verifier.clock.now() - int(timestamp)) > FRESH_SECONDS:
            return "stale"
        if not self._verifier.is_valid(body, timestamp, signature):
            return "bad_signature"
        return None


class _BytesVerifier(SignatureVerifier):
    """Slack signs the body's bytes. The SDK decodes them first, and raises on a body that is
    not UTF-8 instead of finding that its signature does not match."""

    def generate_signature(self, *, timestamp: str, body: str | bytes) -> str | None:
        raw = body.encode() if isinstance(body, str) else body
        signed = b"v0:" + timestamp.encode() + b":" + raw
        digest = hmac.new(self.signing_secret.encode(), signed, hashlib.sha256).hexdigest()
        return f"v0={digest}"


def _read_at_most(environ: WSGIEnvironment, limit: int) -> bytes | None:
    """The body, or None when it is longer than `limit`: never more than limit + 1 bytes read.
    (waitress refuses such bodies before they arrive; this holds under any server.)"""
    declared = str(environ.get("CONTENT_LENGTH") or "")
    if declared.isdigit() and int(declared) > limit:
        return None
    wanted = int(declared) if declared.isdigit() else limit + 1
    body: bytes = environ["wsgi.input"].read(wanted)
    return None if len(body) > limit else body


def _parses_as_bolt_will(body: bytes, content_type: str | None) -> bool:
    """Slack sends events as a JSON object, commands as a form, interactions as a form whose
    `payload` field is a JSON object; Bolt reads a body that starts with "{" as JSON too. What
    reads here, Bolt can read after us (nested JSON deep enough overflows the parser)."""
    try:
        text = body.decode("utf-8")
        if (content_type or "").split(";")[0] == "application/json" or text.startswith("{"):
            return isinstance(json.loads(text), dict)
        payload = dict(parse_qsl(text, keep_blank_values=True)).get("payload")
        return payload is None or isinstance(json.loads(payload), dict)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        return False


def _refuse(refusal: Refusal, seconds: float, start_response: StartResponse) -> list[bytes]:
    log.log(
        refusal.level,
        "slack_request enterprise=- team=- kind=- name=- outcome=%s status=%s retry=- "
        "duration_ms=%.1f reason=%s",
        refusal.outcome,
        refusal.status.split()[0],
        seconds * 1000,
        refusal.reason,
    )
    body = json.dumps({"error": refusal.outcome}).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    start_response(refusal.status, headers)
    return [body]
