"""The work behind an ack runs after Bolt has its answer, with the arguments it names."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_bolt.authorization import AuthorizeResult

from bot.listeners.after_ack import ack_then
from slack_standin.bolt_sender import LocalSlack

SECRET = "after-ack-secret"


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(2) as executor:
        yield executor


def slack_for(work: Any, pool: ThreadPoolExecutor) -> LocalSlack:
    app = App(
        signing_secret=SECRET,
        authorize=lambda **_: AuthorizeResult(
            enterprise_id=None, team_id="T0AFTER", bot_token="xoxb-t", bot_user_id="UB"
        ),
        process_before_response=True,
        listener_executor=pool,
    )

    def ack_command(ack: Ack, command: dict[str, Any]) -> None:
        ack(text=f"working on {command['text']}")

    app.command("/room")(**ack_then(ack_command, work))
    return LocalSlack(app, signing_secret=SECRET, team_id="T0AFTER")


def send(slack: LocalSlack, text: str) -> Any:
    return slack.command(
        user_id="U1", channel_id="C1", text=text, response_url="https://x.invalid/r", trigger_id="t"
    )


def test_the_ack_is_answered_while_the_work_has_not_finished(pool: ThreadPoolExecutor) -> None:
    release, done = threading.Event(), threading.Event()
    seen: dict[str, Any] = {}

    def work(body: dict[str, Any], respond: Any) -> None:
        release.wait(10)
        seen.update(text=body["text"], respond=respond)
        done.set()

    response = send(slack_for(work, pool), "create Standup")
    assert (response.status, "working on create Standup" in response.body) == (200, True)
    assert not done.is_set()
    release.set()
    assert done.wait(10)
    assert seen["text"] == "create Standup"
    assert callable(seen["respond"])


def test_a_bug_in_the_work_is_logged_not_lost(
    pool: ThreadPoolExecutor, caplog: pytest.LogCaptureFixture
) -> None:
    def work(body: dict[str, Any]) -> None:
        raise ZeroDivisionError("a bug")

    with caplog.at_level(logging.ERROR, logger="bot.listeners.after_ack"):
        assert send(slack_for(work, pool), "create x").status == 200
        pool.shutdown(wait=True)
    failures = [r for r in caplog.records if r.name == "bot.listeners.after_ack"]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    assert failures[0].exc_info[0] is ZeroDivisionError
