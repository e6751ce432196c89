"""Slack event claims: the first delivery wins, every repeat is refused, old claims go."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from storage.events import claim_event, forget_events
from storage.session import session_scope

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def claim(engine: Engine, event_id: str, now: datetime = NOW) -> bool:
    with session_scope(engine) as session:
        return claim_event(session, event_id=event_id, enterprise_id="", team_id="T1", now=now)


def test_the_first_delivery_of_an_event_is_claimed(engine: Engine) -> None:
    assert claim(engine, "Ev1") is True


def test_a_repeated_delivery_is_refused(engine: Engine) -> None:
    claim(engine, "Ev1")
    assert claim(engine, "Ev1") is False


def test_old_claims_are_forgotten_and_recent_ones_kept(engine: Engine) -> None:
    claim(engine, "Ev-old", NOW - timedelta(hours=2))
    claim(engine, "Ev-new", NOW)
    with session_scope(engine) as session:
        removed = forget_events(session, received_before=NOW - timedelta(hours=1))
    assert removed == 1
    assert claim(engine, "Ev-new") is False
    assert claim(engine, "Ev-old") is True
