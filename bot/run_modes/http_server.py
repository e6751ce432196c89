"""waitress, with a shutdown that lets requests in flight finish.

waitress stops abruptly on its own: its loop ends and whatever it had not yet written is lost.
Here stopping is done in steps: close the listening sockets (new connections are refused, a
load balancer moves on), wait until every request in flight has been answered and flushed,
then close the remaining connections and the worker threads.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

# Requests are small and acks quick; threads mostly wait on Slack, ACS or the database.
HTTP_THREADS = 16
# Below the usual 30 s a container platform grants between SIGTERM and SIGKILL.
GRACE_SECONDS = 25.0


class HttpServer:
    """Binds at construction (so a taken port fails before anything else starts); serves the
    WSGI app given to `start`."""

    def __init__(self, *, host: str, port: int, threads: int = HTTP_THREADS) -> None:
        self._app: WSGIApplication | None = None
        self._map: dict[int, Any] = {}
        try:
            self._server = create_server(
                self._call_app,
                map=self._map,
                host=host,
                port=port,
                threads=threads,
                ident="roombot",
            )
        except OSError:
            wasyncore.close_all(self._map)  # waitress opened its wake-up pipe before binding
            raise
        self._listeners = [d for d in self._map.values() if isinstance(d, BaseWSGIServer)]
        self._loop: threading.Thread | None = None

    @property
    def port(self) -> int:
        listener: Any = self._listeners[0]  # the stubs lack the TCP server's effective_port
        return int(listener.effective_port)

    def start(self, app: WSGIApplication) -> None:
        """Serve `app` from a background thread, keeping the main thread free for signals."""
        self._app = app
        self._loop = threading.Thread(target=self._server.run, name="http-loop")
        self._loop.start()

    def stop(self, grace_s: float = GRACE_SECONDS) -> bool:
        """Refuse new connections, let requests in flight finish (up to `grace_s`), then
        close everything. True when no request was cut off."""
        self._in_loop(self._close_listeners)
        drained = _wait_until(lambda: not self._busy(), grace_s)
        self._in_loop(lambda: wasyncore.close_all(self._map))
        if self._loop is not None:
            self._loop.join()
        self._server.task_dispatcher.shutdown(timeout=int(grace_s) + 1)
        return drained

    def _call_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        assert self._app is not None  # nothing is served before start(app)
        return self._app(environ, start_response)

    def _close_listeners(self) -> None:
        # The base close only: waitress's own would also close the trigger that the
        # request threads still pull to have their answers sent.
        for listener in self._listeners:
            wasyncore.dispatcher.close(listener)

    def _busy(self) -> bool:
        try:
            channels = [d for d in self._map.values() if isinstance(d, HTTPChannel)]
        except RuntimeError:  # the loop changed the map while we copied it: look again
            return True
        return any(c.requests or c.total_outbufs_len or c.request for c in channels)

    def _in_loop(self, action: Callable[[], None]) -> None:
        # wasyncore is not thread-safe: sockets are closed by the loop's own thread.
        if self._loop is None or not self._loop.is_alive():
            action()
            return
        done = threading.Event()

        def run_and_tell() -> None:
            action()
            done.set()

        trigger: Any = self._listeners[0].trigger  # the stubs type it as an int
        trigger.pull_trigger(run_and_tell)
        done.wait(timeout=5.0)


def _wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True
