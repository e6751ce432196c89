"""The listening server: a thread per connection, optional TLS, and a stop that closes all."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import ssl
import threading
from typing import Any

from acs_emulator.app import EmulatorApp
from acs_emulator.connection import HttpConnection

HANDSHAKE_TIMEOUT_SECONDS = 10


class EmulatorHttpServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True  # restart on the same port without waiting out TIME_WAIT
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections under a load burst

    def __init__(
        self,
        address: tuple[str, int],
        app: EmulatorApp,
        ssl_context: ssl.SSLContext | None,
        log_requests: bool,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app = app
        self.scheme = "https" if ssl_context else "http"
        self.log_requests = log_requests
        self._ssl_context = ssl_context
        self._connections: dict[threading.Thread, socket.socket] = {}
        self._connections_lock = threading.Lock()
        super().__init__(address, HttpConnection)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Like ThreadingMixIn's, but remembers each connection so stop() can close it."""
        thread = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), daemon=True
        )
        self._track(thread, request)
        thread.start()

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Runs in the connection's thread, so a slow TLS handshake blocks no one else."""
        connection = self._secure(request)
        self._track(threading.current_thread(), connection)
        try:
            HttpConnection(connection, client_address, self)
        finally:
            if connection is not request:
                connection.close()

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.pop(threading.current_thread(), None)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Failed TLS handshakes and dropped clients are routine here; stay quiet."""

    def close_connections(self, timeout: float = 5.0) -> None:
        """Stop reading from every open connection (responses in flight still go out), then
        wait for the connection threads to finish."""
        with self._connections_lock:
            open_connections = list(self._connections.items())
        for _, connection in open_connections:
            with contextlib.suppress(OSError):  # already closed
                socket.socket.shutdown(connection, socket.SHUT_RD)  # not SSLSocket.shutdown
        for thread, _ in open_connections:
            thread.join(timeout)

    def _secure(self, request: socket.socket) -> socket.socket:
        if self._ssl_context is None:
            return request
        request.settimeout(HANDSHAKE_TIMEOUT_SECONDS)
        return self._ssl_context.wrap_socket(request, server_side=True)

    def _track(self, thread: threading.Thread, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections[thread] = connection
