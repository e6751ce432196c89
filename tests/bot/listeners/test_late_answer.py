"""A job that runs after its request's response_url expired answers the person directly:
ephemeral in the channel where they asked, else in their DM with the app."""

from __future__ import annotations

import time

from slack_sdk import WebClient

from bot.listeners.late_answer import (
    ACKNOWLEDGED_AT,
    RESPONSE_URL_SECONDS,
    LateRespond,
    response_url_expired,
)
from slack_standin import RunningStandin

ANA = "U06ANA1001"


def client(standin: RunningStandin) -> WebClient:
    return WebClient(token=standin.bot_token, base_url=standin.base_url)


def test_the_response_url_expires_thirty_minutes_after_the_ack() -> None:
    now = time.time()
    assert not response_url_expired({ACKNOWLEDGED_AT: now - 60}, now)
    assert response_url_expired({ACKNOWLEDGED_AT: now - RESPONSE_URL_SECONDS - 1}, now)
    assert not response_url_expired({}, now)  # not a job: Bolt's own respond applies


def test_a_late_answer_is_ephemeral_in_the_channel_where_the_person_asked(
    standin: RunningStandin,
) -> None:
    body = {"user_id": ANA, "channel_id": "C0GENERAL"}
    LateRespond(client(standin), body)(response_type="ephemeral", text="Room #1 is ready")
    (message,) = standin.ephemerals(ANA)
    assert "Room #1 is ready" in str(message)


def test_a_late_answer_goes_to_the_dm_when_the_channel_refuses_it(
    standin: RunningStandin,
) -> None:
    body = {"user": {"id": ANA}, "channel": {"id": "C0OLDPROJ"}}  # archived
    LateRespond(client(standin), body)(text="Room #1 was extended")
    assert standin.ephemerals(ANA) == []
    posted = [call for call in standin.calls("chat.postMessage") if call.error is None]
    assert [call.args.get("channel") for call in posted] == [ANA]


def test_replacing_or_deleting_the_original_is_dropped_when_late(standin: RunningStandin) -> None:
    LateRespond(client(standin), {"user_id": ANA, "channel_id": "C0GENERAL"})(delete_original=True)
    assert standin.calls("chat.postEphemeral") == []
    assert standin.calls("chat.postMessage") == []
