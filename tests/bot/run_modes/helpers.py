"""Talking to a running `roombot serve` over real HTTP, as Slack and a browser would."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from slack_bolt import App, BoltResponse

from slack_standin.bolt_sender import LocalSlack
from tests.support import secret_scan

SIGNING_SECRET = "server-test-signing-secret"


@dataclass
class HttpAnswer:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    url: str, *, data: bytes | None = None, headers: Mapping[str, str] | None = None
) -> HttpAnswer:
    # Tests only ever call their own loopback servers.
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}))  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=15) as reply:  # noqa: S310
            return HttpAnswer(reply.status, reply.read().decode(), dict(reply.headers.items()))
    except urllib.error.HTTPError as error:
        return HttpAnswer(error.code, error.read().decode(), dict(error.headers.items()))


class HttpSlack(LocalSlack):
    """LocalSlack's signed commands, clicks and events, POSTed to /slack/events over HTTP."""

    def __init__(self, base_url: str, *, team_id: str, signing_secret: str = SIGNING_SECRET):
        super().__init__(cast(App, None), signing_secret=signing_secret, team_id=team_id)
        self.base_url = base_url
        self.timestamp: int | None = None  # set to send a stale timestamp

    def send(self, body: str, content_type: str, **extra_headers: str) -> BoltResponse:
        headers = {
            "Content-Type": content_type,
            **self.signed_headers(body, timestamp=self.timestamp),
            **extra_headers,
        }
        answer = http(f"{self.base_url}/slack/events", data=body.encode(), headers=headers)
        return BoltResponse(status=answer.status, body=answer.body, headers=answer.headers)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Poll for something another process must do (start listening, say); no fixed sleeps."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout}s")
        time.sleep(0.05)


ROOT = Path(__file__).resolve().parents[3]
_OURS = ("ROOMBOT_", "SLACK_", "ACS_", "COMMUNICATION_", "DATABASE_URL", "PORT")


def roombot_env(**variables: str) -> dict[str, str]:
    """This environment without any RoomBot setting, plus `variables`; `bot` importable."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    return clean | {"PYTHONPATH": str(ROOT)} | variables


def roombot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    secret_scan.record(f"output of roombot {args[0] if args else ''}", done.stdout + done.stderr)
    return done


@contextmanager
def roombot_serve(env: dict[str, str], cwd: Path) -> Iterator[ServeProcess]:
    """`roombot serve` as its own process, once /healthz answers; SIGTERMed at the end."""
    with roombot_serves(env, cwd, count=1) as (running,):
        yield running


@contextmanager
def roombot_serves(env: dict[str, str], cwd: Path, *, count: int) -> Iterator[list[ServeProcess]]:
    """`count` instances of `roombot serve` on one configuration, started side by side."""
    started = [_start_serve(env, cwd) for _ in range(count)]
    try:
        for running in started:
            # Generous: a cold interpreter importing Azure, Bolt and SQLAlchemy on a busy CI
            # machine can take a while; the poll returns as soon as /healthz answers.
            wait_until(running.started, timeout=90)
            assert not running.exited(), running.output()
        yield started
    finally:
        for running in started:
            running.stop()
            secret_scan.record("output of roombot serve", running.output())
            running.log.close()


def _start_serve(env: dict[str, str], cwd: Path) -> ServeProcess:
    port = free_port()
    log = (cwd / f"serve-{port}.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return ServeProcess(process, f"http://127.0.0.1:{port}", log)


@dataclass
class ServeProcess:
    process: subprocess.Popen[str]
    url: str
    log: IO[str]

    def started(self) -> bool:
        """Up and answering, or already gone (the caller then shows why)."""
        return self.answers() or self.exited()

    def answers(self) -> bool:
        try:
            return http(f"{self.url}/healthz").status == 200
        except OSError:
            return False

    def exited(self) -> bool:
        return self.process.poll() is not None

    def stop(self) -> int:
        """SIGTERM, as a platform stopping a container would; returns the exit code."""
        if not self.exited():
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"serve did not stop in 60 s; its log:\n{self.output()}") from None

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()
