"""waitress for `roombot serve`: limits that keep hostile clients from starving Slack's requests,
and a shutdown that lets requests in flight finish.

The server is built with waitress's public API: `create_server`, a socket bound here and handed
over through the documented `sockets` adjustment, and the documented adjustments below (waitress's
docs/arguments.rst); the socket map it is also given serves only the stop. waitress's defaults
suit a trusted network: with them, 110 slow connections (it stops accepting at 100) starved
/healthz and every ack, and bodies up to 1 GB were read whole.

Stopping needs more than that API. waitress stops abruptly on its own: `close()` shuts the
listening socket and, with it, the trigger pipe that request threads pull to have their answers
sent, and leaves open connections to the loop, which runs until none is left. Here stopping is
done in steps: close the listening socket (new connections are refused, a load balancer moves
on), wait until every request waitress has read is answered and flushed, then close the
remaining connections and the worker threads. Each step uses waitress internals, all of them
in the section "Stopping" below.
"""

from __future__ import annotations

import logging
import resource
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

# Requests are small and acks quick; threads mostly wait on Slack, ACS or the database.
HTTP_THREADS = 16
# What requests in flight get at a stop. Slack gives up on an ack after 3 s, and the work behind
# acks is in the database, not in these requests: 3 s, so that serve stops within `docker
# stop`'s 10 s with its workers' 6 s for the jobs in progress.
GRACE_SECONDS = 3.0
# Slack's requests are a few kB; nothing RoomBot serves comes near this.
MAX_BODY_BYTES = 1024 * 1024
# Far above what one instance behind a load balancer meets, so that slow or idle connections
# cannot fill it; each may hold up to 3 descriptors (see `_make_room_for`).
CONNECTION_LIMIT = 1000
# Slack sends a request in one go: a connection silent this long is dropped.
IDLE_TIMEOUT_SECONDS = 30
# Slack's headers are about 1 kB; a proxy adds a few more.
MAX_HEADER_BYTES = 32 * 1024
BACKLOG = 1024


def _adjustments(threads: int, idle_timeout_s: int) -> dict[str, Any]:
    return {
        "threads": threads,
        "ident": "roombot",
        "backlog": BACKLOG,
        "connection_limit": CONNECTION_LIMIT,
        "channel_timeout": idle_timeout_s,
        # How often idle connections are looked for: one goes at most 1/6 past the timeout.
        "cleanup_interval": max(1, idle_timeout_s // 6),
        # waitress refuses (413) a Content-Length at or above this as soon as the headers are
        # in, and a chunked body as soon as that much has arrived: the body is never read.
        "max_request_body_size": MAX_BODY_BYTES + 1,
        "max_request_header_size": MAX_HEADER_BYTES,
        # select() fails on descriptors above 1023, which a full connection limit passes.
        "asyncore_use_poll": True,
        # Resets and broken pipes are the client's doing; logged, they let anyone fill our
        # logs with tracebacks.
        "log_socket_errors": False,
    }


class HttpServer:
    """Binds at construction (so a taken port fails before anything else starts); serves the
    WSGI app given to `start`."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        threads: int = HTTP_THREADS,
        idle_timeout_s: int = IDLE_TIMEOUT_SECONDS,
    ) -> None:
        self._app: WSGIApplication | None = None
        self._map: dict[int, Any] = {}
        _make_room_for(CONNECTION_LIMIT)
        listening = _bind(host, port)
        self.port = int(listening.getsockname()[1])
        try:
            self._server: Any = create_server(
                self._call_app,
                map=self._map,
                sockets=[listening],
                **_adjustments(threads, idle_timeout_s),
            )
        except BaseException:
            listening.close()
            raise
        self._loop: threading.Thread | None = None

    def start(self, app: WSGIApplication) -> None:
        """Serve `app` from a background thread, keeping the main thread free for signals."""
        self._app = app
        self._loop = threading.Thread(target=self._server.run, name="http-loop")
        self._loop.start()

    def _call_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        assert self._app is not None  # nothing is served before start(app)
        return self._app(environ, start_response)

    # ---------------------------------------------------------------------------- Stopping
    # waitress internals, for want of a graceful stop in waitress 3.0's API: the trigger's
    # thunks (to act in the loop's thread), the base dispatcher's close (the listener without
    # the trigger), the channels' queued requests and unsent output, `close_all` on the socket
    # map, and the task dispatcher's shutdown.

    def stop(self, grace_s: float = GRACE_SECONDS) -> bool:
        """Refuse new connections, let requests in flight finish (up to `grace_s`), then
        close everything. True when no request was cut off."""
        self._in_loop(self._stop_accepting)
        drained = _wait_until(lambda: not self._busy(), grace_s)
        self._in_loop(self._close_all)
        if self._loop is not None:
            self._loop.join()
        self._server.task_dispatcher.shutdown(timeout=int(grace_s) + 1)
        return drained

    def _close_all(self) -> None:
        # A connection's own close first: it also closes the answers still buffered for it
        # (temporary files for bodies over 1 MB), which closing the bare socket would leak.
        for channel in [d for d in self._map.values() if isinstance(d, HTTPChannel)]:
            channel.handle_close()
        wasyncore.close_all(self._map)

    def _stop_accepting(self) -> None:
        # The base close only: the server's own would also close the trigger that the
        # request threads still pull to have their answers sent.
        wasyncore.dispatcher.close(self._server)

    def _busy(self) -> bool:
        # From the moment waitress has read a request whole (queued or running) until its
        # answer is flushed. A request still arriving is not waited for: slow or idle
        # connections would hold every stop for the whole grace period.
        try:
            channels = [d for d in self._map.values() if isinstance(d, HTTPChannel)]
        except RuntimeError:  # the loop changed the map while we copied it: look again
            return True
        return any(c.requests or c.total_outbufs_len for c in channels)

    def _in_loop(self, action: Callable[[], None]) -> None:
        # wasyncore is not thread-safe: sockets are closed by the loop's own thread.
        if self._loop is None or not self._loop.is_alive():
            action()
            return
        done = threading.Event()

        def run_and_tell() -> None:
            action()
            done.set()

        try:
            self._server.trigger.pull_trigger(run_and_tell)
        except OSError:  # the loop closed its trigger as it ended: nothing runs there now
            action()
            return
        done.wait(timeout=5.0)


def _bind(host: str, port: int) -> socket.socket:
    family, _, _, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    return socket.create_server(address, family=family, backlog=BACKLOG)


def _make_room_for(connections: int) -> None:
    """Raise the open-file limit to what `connections` may need (a socket, and temporary files
    for bodies above 512 kB), within the hard limit; say so when that is not enough."""
    needed = 3 * connections + 256  # and some for the database, ACS and Slack clients
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    raised = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
    if raised < needed:
        log.warning("open file limit=%s below needed=%s: raise `ulimit -n`", raised, needed)


def _wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True
