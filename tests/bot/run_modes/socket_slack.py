"""Slack's side of Socket Mode on loopback, for a WebSocket round trip with no network.

`apps.connections.open` answers with the URL of a small WebSocket server written here (RFC 6455:
handshake, text frames, ping/pong, close); every other Web API call is passed through to the
Slack stand-in, so listeners behave as in HTTP mode.
"""

from __future__ import annotations

import base64
import hashlib
import json
import queue
import socket
import struct
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


class FakeSocketSlack:
    def __init__(self, standin_root_url: str) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.ws_url = f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link"
        self._api = ThreadingHTTPServer(("127.0.0.1", 0), _proxy(standin_root_url, self.ws_url))
        self.api_url = f"http://127.0.0.1:{self._api.server_port}/api/"
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        self._client: socket.socket | None = None
        self._connected = threading.Event()
        self._closed = threading.Event()
        self._threads = [
            threading.Thread(target=self._api.serve_forever, daemon=True),
            threading.Thread(target=self._accept, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def wait_connected(self, timeout: float = 20.0) -> None:
        assert self._connected.wait(timeout), "the app never opened the WebSocket"

    def send(self, message: dict[str, Any]) -> None:
        assert self._client is not None
        self._client.sendall(_frame(TEXT, json.dumps(message).encode()))

    def close(self) -> None:
        self._closed.set()
        self._api.shutdown()
        self._api.server_close()
        self._listener.close()
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> FakeSocketSlack:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except OSError:  # closed before anyone connected
            return
        reader = client.makefile("rb")
        _handshake(client, reader)
        self._client = client
        self._connected.set()
        threading.Thread(target=self._ping, args=(client,), daemon=True).start()
        self._read(client, reader)

    def _ping(self, client: socket.socket) -> None:
        # Slack pings too; here it also wakes the client's blocking read often, so its
        # close() (which waits for that read) takes a moment rather than seconds.
        while not self._closed.wait(0.05):
            try:
                client.sendall(_frame(PING, b"ping"))
            except OSError:
                return

    def _read(self, client: socket.socket, reader: Any) -> None:
        while True:
            try:
                opcode, payload = _read_frame(reader)
            except (OSError, ValueError):
                return
            if opcode == TEXT:
                self.received.put(json.loads(payload))
            elif opcode == PING:
                client.sendall(_frame(PONG, payload))
            elif opcode == CLOSE:
                client.sendall(_frame(CLOSE, payload))  # echo it, as the protocol asks
                client.close()
                return


def _handshake(client: socket.socket, reader: Any) -> None:
    headers = {}
    for line in iter(reader.readline, b"\r\n"):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    digest = hashlib.sha1((headers["sec-websocket-key"] + _GUID).encode()).digest()  # noqa: S324
    accept = base64.b64encode(digest).decode()
    client.sendall(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
    )


def _frame(opcode: int, payload: bytes) -> bytes:
    """A server frame: final, unmasked."""
    head = bytes([0x80 | opcode])
    if len(payload) < 126:
        return head + bytes([len(payload)]) + payload
    if len(payload) < 65536:
        return head + bytes([126]) + struct.pack("!H", len(payload)) + payload
    return head + bytes([127]) + struct.pack("!Q", len(payload)) + payload


def _read_frame(reader: Any) -> tuple[int, bytes]:
    """A client frame (always masked); fragmented messages are not needed here."""
    first, second = _exactly(reader, 2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _exactly(reader, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _exactly(reader, 8))
    mask = _exactly(reader, 4) if second & 0x80 else bytes(4)
    payload = _exactly(reader, length)
    return first & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def _exactly(reader: Any, count: int) -> bytes:
    data: bytes = reader.read(count)
    if len(data) < count:
        raise ValueError("the connection closed mid-frame")
    return data


def _proxy(standin_root_url: str, ws_url: str) -> type[BaseHTTPRequestHandler]:
    class Proxy(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.startswith("/api/apps.connections.open"):
                self._answer(200, json.dumps({"ok": True, "url": ws_url}).encode(), {})
                return
            self._answer(*_forward(standin_root_url + self.path.lstrip("/"), body, self.headers))

        do_GET = do_POST

        def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: pytest shows failures well enough

    return Proxy


def _forward(url: str, body: bytes, headers: Any) -> tuple[int, bytes, dict[str, str]]:
    passed = {k: v for k, v in headers.items() if k.lower() in {"authorization", "content-type"}}
    request = urllib.request.Request(url, data=body or None, headers=passed)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=15) as reply:  # noqa: S310
            kept = {k: v for k, v in reply.headers.items() if k.lower().startswith("x-oauth")}
            return reply.status, reply.read(), kept
    except urllib.error.HTTPError as error:
        return error.code, error.read(), {}
