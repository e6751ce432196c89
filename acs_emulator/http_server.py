"""The listener: the standard library's threading HTTP server, plain or TLS, running the WSGI
application (wsgi.py) through http_handler.py.

Not waitress, although it is a dependency: its event loop hands every request to a worker thread
and back, which cost about twice the CPU per request measured here, and on the shared two-core
machine it fell below the 1,000 requests/s the emulator must hold (bench/bench_emulator.py).
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from functools import partial
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIServer

from acs_emulator.http_handler import KeepAliveHandler

if TYPE_CHECKING:
    import ssl

    from acs_emulator.wsgi import EmulatorWsgi

STOP_POLL_SECONDS = 0.02  # how long stop() may wait for the accept loop to notice
STOP_TIMEOUT_SECONDS = 5.0  # for requests in flight (injected latency) to finish


class HttpServer:
    """Serving from construction on, in a background thread, until stop()."""

    def __init__(
        self, address: tuple[str, int], wsgi: EmulatorWsgi, context: ssl.SSLContext | None
    ) -> None:
        self._server = _ThreadingWsgiServer(address, wsgi, context)
        self.scheme = "https" if context else "http"
        self.port: int = self._server.server_address[1]
        self._loop = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": STOP_POLL_SECONDS},
            name="acs-emulator",
            daemon=True,
        )
        self._loop.start()

    def stop(self) -> None:
        """Requests in flight finish first; then every connection and the listener close."""
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._loop.join()


class _ThreadingWsgiServer(socketserver.ThreadingMixIn, WSGIServer):
    allow_reuse_address = True  # restart on the same port without waiting out TIME_WAIT
    daemon_threads = True  # stop() ends the connections; nothing else should wait for them
    request_queue_size = 128  # the default 5 drops connections under a load burst

    def __init__(
        self, address: tuple[str, int], wsgi: EmulatorWsgi, context: ssl.SSLContext | None
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self._connections: dict[threading.Thread, socket.socket] = {}
        self._connections_lock = threading.Lock()
        super().__init__(address, partial(KeepAliveHandler, wsgi=wsgi, tls=context is not None))
        if context is not None:  # handshakes run in the connections' threads, not in accept()
            self.socket = context.wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )

    def server_bind(self) -> None:
        """HTTPServer's also looks up the host's DNS name (slow on some networks); unused here."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]
        self.setup_environ()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Runs in the connection's thread; remembers the connection so stop() can end it."""
        with self._connections_lock:
            self._connections[threading.current_thread()] = request
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._connections_lock:
                self._connections.pop(threading.current_thread(), None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Failed TLS handshakes and dropped clients are routine here; stay quiet."""

    def close_connections(self) -> None:
        """Stop reading from every connection (answers being written still go out), then wait
        for the connections' threads to finish."""
        with self._connections_lock:
            open_connections = list(self._connections.items())
        for _, connection in open_connections:
            with contextlib.suppress(OSError):  # already closed
                socket.socket.shutdown(connection, socket.SHUT_RD)  # not SSLSocket.shutdown
        for thread, _ in open_connections:
            thread.join(STOP_TIMEOUT_SECONDS)
