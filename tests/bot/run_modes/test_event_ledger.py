"""The event ledger: the shared record that makes an event run once across instances."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from bot.services.domain import Workspace
from bot.services.event_ledger import EventLedger

T1, T2 = Workspace("", "T0ONE"), Workspace("E0ORG", "T0TWO")
NOON = datetime(2030, 1, 1, 12, tzinfo=UTC)


def test_only_the_first_delivery_of_an_event_is_first(engine: Engine) -> None:
    ledger = EventLedger(engine=engine, clock=lambda: NOON)
    assert [ledger.first_delivery(T1, "Ev1") for _ in range(3)] == [True, False, False]


def test_two_ledgers_on_one_database_agree_on_the_first_delivery(engine: Engine) -> None:
    one, other = (EventLedger(engine=engine, clock=lambda: NOON) for _ in range(2))
    assert (one.first_delivery(T2, "Ev2"), other.first_delivery(T2, "Ev2")) == (True, False)


def test_forgotten_claims_let_an_old_event_id_count_as_new(engine: Engine) -> None:
    ledger = EventLedger(engine=engine, clock=lambda: NOON)
    ledger.first_delivery(T1, "Ev3")
    assert ledger.forget_older_than(NOON + timedelta(seconds=1)) == 1
    assert ledger.first_delivery(T1, "Ev3") is True


def test_claims_older_than_an_hour_are_swept_as_new_events_arrive(engine: Engine) -> None:
    now = [NOON]
    ledger = EventLedger(engine=engine, clock=lambda: now[0])
    ledger.first_delivery(T1, "Ev4")
    now[0] = NOON + timedelta(hours=2)
    ledger.first_delivery(T1, "Ev5")
    assert ledger.first_delivery(T1, "Ev4") is True
