"""Personal join links' passes: they sign one named person in to one room, once, within five
minutes; a forged, stale, reused or misdirected pass signs nobody in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from bot.services.domain import Workspace
from bot.services.event_ledger import EventLedger
from bot.services.join_passes import JoinPasses, PassHolder, PassRefused
from tests.support.clock import ManualClock

BEN = PassHolder(Workspace("", "T1"), "U0BEN", "Ben Becker")
KEY = "q7Ue3mWk9dT2xYbR4sNc1A"


@pytest.fixture
def clock() -> ManualClock:
    clock = ManualClock()
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    return clock


@pytest.fixture
def passes(engine: Engine, clock: ManualClock) -> JoinPasses:
    return JoinPasses(
        "pass-secret-for-tests-0123456789abcdef", EventLedger(engine=engine, clock=clock), clock
    )


def test_a_pass_signs_its_person_in_once(passes: JoinPasses) -> None:
    token = passes.issue(BEN, KEY)
    assert passes.redeem(token, KEY) == BEN
    with pytest.raises(PassRefused, match="already used"):
        passes.redeem(token, KEY)


def test_a_pass_older_than_five_minutes_is_refused(passes: JoinPasses, clock: ManualClock) -> None:
    token = passes.issue(BEN, KEY)
    clock.advance(minutes=5, seconds=1)
    with pytest.raises(PassRefused, match="expired"):
        passes.redeem(token, KEY)


def test_a_tampered_pass_is_refused(passes: JoinPasses) -> None:
    token = passes.issue(BEN, KEY)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(PassRefused, match="not valid"):
        passes.redeem(forged, KEY)


def test_a_pass_for_another_room_is_refused(passes: JoinPasses) -> None:
    with pytest.raises(PassRefused, match="another room"):
        passes.redeem(passes.issue(BEN, KEY), "another-room-key-0000000")


def test_a_pass_signed_with_another_secret_is_refused(passes: JoinPasses, engine: Engine) -> None:
    other = JoinPasses("another-secret-0123456789abcdefghij", EventLedger(engine=engine))
    with pytest.raises(PassRefused, match="not valid"):
        passes.redeem(other.issue(BEN, KEY), KEY)
