"""Slack's rate limits: 429s are retried after Retry-After, posts are paced per channel."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.slack_posts.cards import ChannelPacer
from slack_standin import RunningStandin
from tests.bot.run_modes.conftest import Served
from tests.bot.run_modes.test_http_endpoints import ana_types


def test_a_card_refused_with_429_is_posted_after_retry_after(
    server: Served, standin: RunningStandin
) -> None:
    standin.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=0)
    ana_types(server.slack(standin.workspace.team_id), standin, "create Throttled")
    standin.wait_for("chat.postMessage", lambda call: call.ok)
    assert [c.status for c in standin.calls("chat.postMessage")] == [429, 200]


def test_the_oauth_flow_and_every_request_client_retry_rate_limits(oauth_server: Served) -> None:
    app = oauth_server.runtime.app
    assert app.oauth_flow is not None
    assert app.oauth_flow.client is app.client
    assert any(isinstance(h, RateLimitErrorRetryHandler) for h in app.client.retry_handlers)


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def pacer(time: FakeTime) -> ChannelPacer:
    return ChannelPacer(interval=1.0, burst=3, clock=lambda: time.now, sleep=time.sleep)


def test_a_short_burst_to_one_channel_goes_out_at_once() -> None:
    time = FakeTime()
    paced = pacer(time)
    assert [paced.wait_turn("C1") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert time.slept == []


def test_after_the_burst_posts_to_one_channel_are_a_second_apart() -> None:
    time = FakeTime()
    paced = pacer(time)
    waits = [paced.wait_turn("C1") for _ in range(5)]
    assert waits == [0.0, 0.0, 0.0, 1.0, 1.0]


def test_other_channels_do_not_wait_for_a_busy_one() -> None:
    time = FakeTime()
    paced = pacer(time)
    for _ in range(3):
        paced.wait_turn("C1")
    assert paced.wait_turn("C2") == 0.0


def test_a_quiet_channel_gets_its_burst_back() -> None:
    time = FakeTime()
    paced = pacer(time)
    for _ in range(5):
        paced.wait_turn("C1")
    time.now += 10
    assert [paced.wait_turn("C1") for _ in range(3)] == [0.0, 0.0, 0.0]
