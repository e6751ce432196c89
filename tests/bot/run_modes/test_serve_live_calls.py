"""`roombot serve` as its own processes, receiving ACS calling events at its Event Grid webhook
over HTTP: two instances on one PostgreSQL database each given every event (one instance on
SQLite, given each twice) make one live card and one Slack call, each effect once."""

from __future__ import annotations

import json
import re
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from acs_emulator import RunningEmulator
from slack_standin import RunningStandin
from tests.bot.run_modes.helpers import HttpSlack, http, roombot_serves, wait_until
from tests.bot.run_modes.test_http_endpoints import ana_types, replied
from tests.bot.run_modes.test_serve_process import is_postgresql, serve_env
from tests.support.calling_events import body, calling_event

SECRET = "eventgrid-secret-for-serve-tests-0123"


def card_text(standin: RunningStandin) -> str:
    return json.dumps(standin.messages("general")[0]["blocks"])


def deliver(urls: list[str], event: dict[str, Any]) -> list[int]:
    """The same event to every instance at once, as Event Grid retrying elsewhere would."""
    answers: list[int] = []

    def post(url: str) -> None:
        sent = http(f"{url}/acs/events?code={SECRET}", data=body(event),
                    headers={"Content-Type": "application/json"})  # fmt: skip
        answers.append(sent.status)

    threads = [threading.Thread(target=post, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_served_instances_make_each_live_call_effect_once(
    standin: RunningStandin, emulator: RunningEmulator, engine_url: str, tmp_path: Path
) -> None:
    env = serve_env(standin, emulator.connection_string, engine_url, tmp_path)
    env |= {"ROOMBOT_EVENTGRID_SECRET": SECRET, "ROOMBOT_PUBLIC_URL": "https://roombot.example.com"}
    count = 2 if is_postgresql(engine_url) else 1
    team = standin.workspace.team_id
    with roombot_serves(env, tmp_path, count=count) as instances:
        ana_types(HttpSlack(instances[0].url, team_id=team), standin, "create Crit @ben")
        standin.wait_for("response_url", replied("Room #1 is ready"))
        found = re.search(r"ACS room ID: `(\d+)`", card_text(standin))
        assert found is not None
        room_id = found.group(1)
        roles = emulator.snapshot()[room_id].participants
        (ana,) = [raw for raw, role in roles.items() if role == "Presenter"]
        (ben,) = [raw for raw, role in roles.items() if role == "Attendee"]
        urls = [instance.url for instance in instances] * (2 if count == 1 else 1)
        call = f"served-{uuid.uuid4().hex[:6]}"
        now = datetime.now(UTC)
        events = [
            calling_event("started", room_id=room_id, call=call, at=now, starter=ana),
            calling_event("added", room_id=room_id, call=call, at=now, starter=ana, user=ana),
            calling_event("added", room_id=room_id, call=call, at=now, starter=ana, user=ben),
        ]
        for event in events:
            assert deliver(urls, event) == [200] * len(urls)
        wait_until(lambda: "2 in the call" in card_text(standin), timeout=20)
        wait_until(
            lambda: len(standin.slack_calls()) == 1 and len(standin.slack_calls()[0].users) == 2
        )
        assert deliver(urls, calling_event("ended", room_id=room_id, call=call, at=now, starter=ana,
                                           duration=60.0)) == [200] * len(urls)  # fmt: skip
        wait_until(lambda: "Last call" in card_text(standin), timeout=20)
        wait_until(lambda: standin.slack_calls()[0].ended, timeout=20)
        wrong = http(f"{instances[0].url}/acs/events?code=not-the-secret", data=body(events[0]))
        assert wrong.status == 401
    assert len([c for c in standin.calls("calls.add") if c.ok]) == 1
    assert len([c for c in standin.calls("calls.end") if c.ok]) == 1
    added = [c for c in standin.calls("calls.participants.add") if c.ok]
    users = [u for c in added for u in json.loads(c.args["users"])]
    assert len(users) == 2
