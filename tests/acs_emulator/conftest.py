"""Fixtures: a running emulator, official SDK clients against it, and a raw signed-request client
for what the Python SDK never sends (JS-style bodies, tampered signatures, odd headers)."""

from __future__ import annotations

import base64
import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from azure.communication.identity import CommunicationIdentityClient
from azure.communication.rooms import RoomsClient
from azure.core.credentials import AzureKeyCredential

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from acs_emulator.auth import content_hash, signature, string_to_sign

ROOMS_VERSION = "2025-03-13"
IDENTITY_VERSION = "2023-10-01"


@dataclass
class FixedClock:
    """The emulator's "now" for validation; tests move it instead of sleeping."""

    now: datetime = field(default_factory=lambda: datetime(2030, 1, 1, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class SignedClient:
    """Signs like ACS_REST.md §1: HMAC-SHA256 over verb, path+query, date, host, body hash."""

    emulator: RunningEmulator
    session: requests.Session

    def send(
        self,
        method: str,
        target: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        signed_target: str | None = None,
        key: str | None = None,
        date: str | None = None,
    ) -> requests.Response:
        payload = _body_bytes(body)
        date = date or formatdate(usegmt=True)
        host = self.emulator.endpoint.split("://", 1)[1]
        text = string_to_sign(method, signed_target or target, date, host, content_hash(payload))
        secret = base64.b64decode(key or self.emulator.access_key)
        all_headers = {
            "x-ms-date": date,
            "x-ms-content-sha256": content_hash(payload),
            "Authorization": f"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256"
            f"&Signature={signature(secret, text)}",
            "Content-Type": "application/json",
            **(headers or {}),
        }
        url = self.emulator.endpoint + target
        return self.session.request(method, url, data=payload, headers=all_headers, timeout=10)


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    return json.dumps(body, separators=(",", ":")).encode()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig()) as running:
        yield running


@pytest.fixture
def clocked_emulator(clock: FixedClock) -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(clock=clock)) as running:
        yield running


@pytest.fixture
def make_raw() -> Iterator[Callable[[RunningEmulator], SignedClient]]:
    """Raw signed clients for emulators a test starts itself."""
    with ExitStack() as cleanup:

        def make(emulator: RunningEmulator) -> SignedClient:
            return SignedClient(emulator, cleanup.enter_context(requests.Session()))

        yield make


@pytest.fixture
def raw(
    emulator: RunningEmulator, make_raw: Callable[[RunningEmulator], SignedClient]
) -> SignedClient:
    return make_raw(emulator)


@pytest.fixture
def clocked_raw(
    clocked_emulator: RunningEmulator, make_raw: Callable[[RunningEmulator], SignedClient]
) -> SignedClient:
    return make_raw(clocked_emulator)


@pytest.fixture
def make_rooms_client() -> Iterator[Callable[..., RoomsClient]]:
    """`make_rooms_client(emulator, **sdk_options)`: an http:// client, closed after the test."""
    with ExitStack() as cleanup:

        def make(emulator: RunningEmulator, **options: Any) -> RoomsClient:
            credential = AzureKeyCredential(emulator.access_key)
            client = RoomsClient(emulator.endpoint, credential, **options)
            return cleanup.enter_context(client)

        yield make


@pytest.fixture
def make_identity_client() -> Callable[..., CommunicationIdentityClient]:
    def make(emulator: RunningEmulator, **options: Any) -> CommunicationIdentityClient:
        credential = AzureKeyCredential(emulator.access_key)
        return CommunicationIdentityClient(emulator.endpoint, credential, **options)

    return make


@pytest.fixture
def rooms(emulator: RunningEmulator, make_rooms_client: Callable[..., RoomsClient]) -> RoomsClient:
    return make_rooms_client(emulator, retry_total=0)


@pytest.fixture
def identity(
    emulator: RunningEmulator, make_identity_client: Callable[..., CommunicationIdentityClient]
) -> CommunicationIdentityClient:
    return make_identity_client(emulator, retry_total=0)


@pytest.fixture
def new_user(raw: SignedClient) -> Callable[[], str]:
    """Makes a fresh ACS user id through the Identity endpoint."""

    def make() -> str:
        response = raw.send("POST", f"/identities?api-version={IDENTITY_VERSION}")
        return str(response.json()["identity"]["id"])

    return make


@dataclass
class Received:
    kind: str  # the aeg-event-type header: SubscriptionValidation or Notification
    headers: dict[str, str]  # names lower-cased
    events: list[dict[str, Any]]
    status: int  # what the receiver answered


class WebhookReceiver:
    """A local Event Grid webhook: answers the handshake (correctly unless told otherwise) and
    notifications with the statuses queued in `answers`, then 200; records every POST."""

    def __init__(self) -> None:
        self.echo_validation_code = True
        self.answers: deque[int] = deque()
        self.received: list[Received] = []
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/api/events?code=secret"

    def notifications(self) -> list[Received]:
        with self._changed:
            return [r for r in self.received if r.kind == "Notification"]

    def handshakes(self) -> list[Received]:
        with self._changed:
            return [r for r in self.received if r.kind == "SubscriptionValidation"]

    def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> bool:
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, headers: dict[str, str], events: list[dict[str, Any]]) -> tuple[int, bytes]:
        kind = headers.get("aeg-event-type", "")
        if kind == "SubscriptionValidation":
            code = events[0]["data"]["validationCode"] if self.echo_validation_code else "nope"
            status, body = 200, json.dumps({"validationResponse": code}).encode()
        else:
            status, body = (self.answers.popleft() if self.answers else 200), b""
        with self._changed:
            self.received.append(Received(kind, headers, events, status))
            self._changed.notify_all()
        return status, body

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                status, answer = receiver._answer(headers, json.loads(body))
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    webhook = WebhookReceiver()
    yield webhook
    webhook.close()
