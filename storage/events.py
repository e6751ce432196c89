"""Slack events already taken on, so a retried or doubly delivered event runs once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session, col, delete

from storage.dialects import upsert_insert
from storage.models import SlackEventRow
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from datetime import datetime


def claim_event(
    session: Session, *, event_id: str, enterprise_id: str, team_id: str, now: datetime
) -> bool:
    """True for the first delivery of `event_id` anywhere; False for every repeat."""
    insert = upsert_insert(session, SlackEventRow).values(
        event_id=event_id,
        enterprise_id=enterprise_id,
        team_id=team_id,
        received_at=require_utc(now, "now"),
    )
    # RETURNING rather than rowcount: psycopg reports -1 for this statement.
    claimed = insert.on_conflict_do_nothing(index_elements=["event_id"]).returning(
        col(SlackEventRow.event_id)
    )
    return session.exec(claimed).first() is not None


def forget_events(session: Session, *, received_before: datetime) -> int:
    """Drop claims older than Slack's last retry (~5 min) could need; returns how many."""
    statement = delete(SlackEventRow).where(
        col(SlackEventRow.received_at) < require_utc(received_before, "received_before")
    )
    return int(session.exec(statement).rowcount)
