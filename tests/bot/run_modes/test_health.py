"""/healthz: the database decides whether the instance serves; ACS trouble is only reported."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import SecretStr
from slack_bolt import App
from sqlalchemy import Engine

from bot.run_modes.http_routes import wsgi_app
from bot.run_modes.http_server import HttpServer
from bot.services.health import HealthCheck
from slack_standin import RunningStandin
from storage.engine import make_engine
from tests.bot.run_modes.conftest import fast_gateways, serving, settings_for
from tests.bot.run_modes.helpers import free_port, http

KEY = "bm90LWEtcmVhbC1rZXk="  # base64, as ACS keys are; nothing listens where it is sent


def unreachable_acs() -> str:
    return f"endpoint=http://127.0.0.1:{free_port()}/;accesskey={KEY}"


def test_healthz_is_200_while_acs_is_unreachable_and_says_why(
    standin: RunningStandin, engine_url: str
) -> None:
    token = SecretStr(standin.bot_token)
    settings = settings_for(standin, unreachable_acs(), engine_url, slack_bot_token=token)
    with serving(settings) as served:
        answer = http(f"{served.url}/healthz")
    assert answer.status == 200
    checks = answer.json()["checks"]
    assert checks["database"] == {"ok": True, "detail": "ok"}
    assert checks["acs"]["ok"] is False
    assert "could not reach ACS" in checks["acs"]["detail"]


@contextmanager
def health_only_server(health: HealthCheck) -> Iterator[str]:
    bolt = App(signing_secret="unused", token="xoxb-unused", token_verification_enabled=False)
    server = HttpServer(host="127.0.0.1", port=0)
    server.start(wsgi_app(bolt, health.check, signing_secret="unused"))
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop(grace_s=5)
        health.close()


def test_healthz_is_503_when_the_database_is_unreachable(emulator_connection: str) -> None:
    gone = make_engine(f"postgresql+psycopg://roombot@127.0.0.1:{free_port()}/gone")
    rooms, _ = fast_gateways(emulator_connection)
    with health_only_server(HealthCheck(engine=gone, rooms=rooms)) as url:
        answer = http(f"{url}/healthz")
    assert answer.status == 503
    assert answer.json()["status"] == "unavailable"
    assert answer.json()["checks"]["database"]["ok"] is False


def test_a_hanging_acs_probe_answers_within_the_wait_and_is_not_started_twice(
    engine: Engine,
) -> None:
    release, started = threading.Event(), []

    class HangingRooms:
        def probe(self) -> None:
            started.append(1)
            release.wait(10)

    health = HealthCheck(engine=engine, rooms=HangingRooms(), acs_wait_s=0.05)  # type: ignore[arg-type]
    try:
        reports = [health.check() for _ in range(2)]
    finally:
        release.set()
        health.close()
    assert [r.acs.detail for r in reports] == ["ACS did not answer within 0.05 s"] * 2
    assert [r.ok for r in reports] == [True, True]
    assert started == [1]
