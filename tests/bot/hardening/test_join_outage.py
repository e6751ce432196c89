"""The join page while the database is down: one clear sentence and a 503, never a stack
trace; the page works again once the database is back, without a restart."""

from __future__ import annotations

from pydantic import SecretStr

from acs_emulator import RunningEmulator
from slack_standin import RunningStandin
from tests.bot.hardening.conftest import Outage
from tests.bot.run_modes.conftest import serving, single_workspace
from tests.bot.run_modes.helpers import http, wait_until


def test_the_join_page_says_try_again_while_the_database_is_down(
    outage: Outage, standin: RunningStandin, emulator: RunningEmulator
) -> None:
    outage.cut()
    settings = single_workspace(standin, emulator, outage.url).model_copy(
        update={
            "roombot_public_url": "https://roombot.example.com",
            "roombot_session_secret": SecretStr("session-secret-for-join-tests-0123456789"),
        }
    )
    with serving(settings) as served:
        down = http(f"{served.url}/r/any-room-key-00000000")
        outage.restore()
        wait_until(lambda: http(f"{served.url}/healthz").status == 200, timeout=30)
        back = http(f"{served.url}/r/any-room-key-00000000")
    assert down.status == 503
    assert "temporarily unavailable" in down.body
    assert "Traceback" not in down.body
    assert back.status == 404  # the store answers again: there is simply no such room
