"""The anchors bench_ack measures `roombot serve` against, each served by the same stack as
serve (bot.run_modes.http_server.HttpServer: waitress, 16 threads) in its own process:

  floor  a WSGI endpoint that only checks the Slack signature and answers 200
  bolt   a bare slack_bolt.App with default settings whose `/room` listener only acks
  pbr    the same bare app with process_before_response=True (what RoomBot sets): what Bolt
         itself costs, apart from RoomBot's middleware and the work behind the ack

Usage: python bench/_ack_targets.py floor|bolt|pbr [--slack-url URL --token TOKEN]
Prints the port it listens on as its first line, then serves until SIGTERM.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_sdk.signature import SignatureVerifier

from bot.run_modes.http_server import HttpServer

SIGNING_SECRET = "bench-signing-secret"  # noqa: S105 - the benchmarks' own, see _stack.py


def floor_app() -> WSGIApplication:
    verifier = SignatureVerifier(SIGNING_SECRET)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        valid = verifier.is_valid(
            body=body,
            timestamp=environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
            signature=environ.get("HTTP_X_SLACK_SIGNATURE", ""),
        )
        start_response("200 OK" if valid else "401 Unauthorized", [("Content-Length", "0")])
        return [b""]

    return app


def bolt_app(slack_url: str, token: str, *, process_before_response: bool) -> WSGIApplication:
    from slack_bolt import Ack, App
    from slack_bolt.adapter.wsgi import SlackRequestHandler
    from slack_sdk import WebClient

    # Defaults throughout; only the Web API address points at the local stand-in.
    app = App(
        token=token,
        signing_secret=SIGNING_SECRET,
        client=WebClient(token, base_url=slack_url),
        process_before_response=process_before_response,
    )

    @app.command("/room")
    def just_ack(ack: Ack) -> None:
        ack()

    return SlackRequestHandler(app)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=["floor", "bolt", "pbr"])
    parser.add_argument("--slack-url", default="")
    parser.add_argument("--token", default="")
    chosen = parser.parse_args()
    if chosen.target == "floor":
        app = floor_app()
    else:
        pbr = chosen.target == "pbr"
        app = bolt_app(chosen.slack_url, chosen.token, process_before_response=pbr)
    # waitress warns on every queued request under load; serve's own logging hides it too.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = HttpServer(host="127.0.0.1", port=0)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server.start(app)
    print(server.port, flush=True)
    stop.wait()
    server.stop(grace_s=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
