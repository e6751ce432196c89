"""A stand-in per test, on a clock the test moves by hand, and the real slack_sdk client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from slack_standin import OidcClient, RunningStandin, start_slack_standin
from tests.slack_standin.signin_flow import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI

START = 1_700_000_000.0  # Tue 14 Nov 2023 22:13:20 UTC


class ManualClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def standin(clock: ManualClock) -> Iterator[RunningStandin]:
    with start_slack_standin(clock=clock) as running:
        yield running


@pytest.fixture
def slack(standin: RunningStandin) -> WebClient:
    return WebClient(token=standin.bot_token, base_url=standin.base_url)


@pytest.fixture
def oidc_client(standin: RunningStandin) -> OidcClient:
    """RoomBot's join page, registered for Sign in with Slack."""
    return standin.register_oidc_client(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI])
