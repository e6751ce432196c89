"""`roombot serve` answers the join page's paths itself and everything else through Bolt;
with ROOMBOT_JOIN_URL pointing Join at another app, it serves no join page at all."""

from __future__ import annotations

from pydantic import SecretStr

from slack_standin import RunningStandin
from tests.bot.run_modes.conftest import serving, settings_for
from tests.bot.run_modes.helpers import http


def test_serve_answers_join_links_beside_slacks_events(
    standin: RunningStandin, engine_url: str, emulator_connection: str
) -> None:
    token = SecretStr(standin.bot_token)
    settings = settings_for(standin, emulator_connection, engine_url, slack_bot_token=token)
    with serving(settings) as served:
        page = http(f"{served.url}/r/no-such-room-key-00000")
        events = http(f"{served.url}/slack/events", data=b"payload=x")
    assert page.status == 404
    assert "does not lead to a room" in page.body
    assert "Content-Security-Policy" in page.headers
    assert events.status == 401  # still Bolt's, behind the signature check


def test_with_join_pointed_elsewhere_no_join_page_is_served(
    standin: RunningStandin, engine_url: str, emulator_connection: str
) -> None:
    token = SecretStr(standin.bot_token)
    settings = settings_for(
        standin,
        emulator_connection,
        engine_url,
        slack_bot_token=token,
        roombot_join_url="https://calls.example.com/join?room={acs_room_id}",
    )
    with serving(settings) as served:
        page = http(f"{served.url}/r/no-such-room-key-00000")
    assert "does not lead to a room" not in page.body
    assert page.status == 404
