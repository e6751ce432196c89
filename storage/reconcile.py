"""Reads and claims that reconciliation (store versus ACS) needs.

Most lookups here cross workspaces on purpose: ACS lists every room of the resource at once,
so telling which workspace an ACS room belongs to means looking its room id or its
participants' identities up in the whole store. Callers scope what they act on themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import union
from sqlmodel import Session, col, select

from storage.events import claim_event
from storage.models import ACTIVE, AcsIdentityRow, RoomRow
from storage.room_rows import in_workspace

if TYPE_CHECKING:
    from collections.abc import Collection
    from datetime import datetime

# Round claims share the once-only ledger of Slack event deliveries (see claim_round).
_ROUND_PREFIX = "roombot.reconcile:"


def list_workspaces(session: Session, *, team_id: str | None = None) -> list[tuple[str, str]]:
    """(enterprise_id, team_id) of every workspace with rooms or identities, sorted;
    `team_id` keeps only that team (in whichever enterprise)."""
    rooms = select(col(RoomRow.enterprise_id), col(RoomRow.team_id))
    people = select(col(AcsIdentityRow.enterprise_id), col(AcsIdentityRow.team_id))
    if team_id is not None:
        rooms = rooms.where(col(RoomRow.team_id) == team_id)
        people = people.where(col(AcsIdentityRow.team_id) == team_id)
    found = session.execute(union(rooms, people)).all()
    return sorted((str(enterprise), str(team)) for enterprise, team in found)


def live_rooms(session: Session, *, enterprise_id: str, team_id: str) -> list[RoomRow]:
    """Every active room of the workspace (no limit: reconciliation must see them all)."""
    statement = (
        select(RoomRow)
        .where(*in_workspace(enterprise_id, team_id), col(RoomRow.state) == ACTIVE)
        .order_by(col(RoomRow.number))
        .execution_options(populate_existing=True)
    )
    return list(session.exec(statement))


def rooms_by_acs_ids(session: Session, *, acs_room_ids: Collection[str]) -> dict[str, RoomRow]:
    """Stored rooms (any workspace, any state) among `acs_room_ids`, keyed by ACS room id."""
    if not acs_room_ids:
        return {}
    statement = select(RoomRow).where(col(RoomRow.acs_room_id).in_(set(acs_room_ids)))
    return {row.acs_room_id: row for row in session.exec(statement) if row.acs_room_id}


def identities_by_acs_ids(
    session: Session, *, acs_user_ids: Collection[str]
) -> dict[str, AcsIdentityRow]:
    """RoomBot's identities (any workspace) among `acs_user_ids`, keyed by ACS user id."""
    if not acs_user_ids:
        return {}
    statement = select(AcsIdentityRow).where(col(AcsIdentityRow.acs_user_id).in_(set(acs_user_ids)))
    return {row.acs_user_id: row for row in session.exec(statement)}


def claim_round(session: Session, *, round_id: str, now: datetime) -> bool:
    """True for the one process, of all sharing this database, that claims `round_id` first.

    The Slack events ledger is already RoomBot's table of once-only claims (a unique insert,
    race-free on both dialects, swept after an hour), so a periodic round is claimed there
    like an event delivery rather than in a table of its own. An advisory lock alone would
    only keep two rounds from overlapping, not a later instance from repeating a finished one.
    """
    return claim_event(
        session, event_id=f"{_ROUND_PREFIX}{round_id}", enterprise_id="", team_id="", now=now
    )
