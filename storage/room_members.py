"""Room rosters: who is in a room and with which ACS role, in the order they were added."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session, col, delete, select

from storage.dialects import upsert_insert
from storage.models import ROLES, RoomMemberRow
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence
    from datetime import datetime


def list_members(session: Session, *, room_id: int) -> list[RoomMemberRow]:
    statement = (
        select(RoomMemberRow)
        .where(col(RoomMemberRow.room_id) == room_id)
        .order_by(col(RoomMemberRow.id))
        # upsert_members writes past the ORM, so rows already in the session may be stale.
        .execution_options(populate_existing=True)
    )
    return list(session.exec(statement))


def members_of(session: Session, *, room_ids: Collection[int]) -> dict[int, list[RoomMemberRow]]:
    """Rosters of several rooms in one query; every asked-for room has a (maybe empty) list."""
    rosters: dict[int, list[RoomMemberRow]] = {room_id: [] for room_id in room_ids}
    if not rosters:
        return rosters
    statement = (
        select(RoomMemberRow)
        .where(col(RoomMemberRow.room_id).in_(rosters))
        .order_by(col(RoomMemberRow.room_id), col(RoomMemberRow.id))
        .execution_options(populate_existing=True)
    )
    for row in session.exec(statement):
        rosters[row.room_id].append(row)
    return rosters


def upsert_members(
    session: Session, *, room_id: int, members: Sequence[tuple[str, str, str]], now: datetime
) -> None:
    """Add (slack_user_id, acs_user_id, role) entries; people already in keep their place.

    A single INSERT ... ON CONFLICT DO UPDATE, so two processes changing one roster at once
    cannot trip over the unique constraint.
    """
    # One entry per person (PostgreSQL refuses to update a row twice in one statement):
    # the first mention fixes the position, the last one the role.
    latest = {slack_user_id: (acs_user_id, role) for slack_user_id, acs_user_id, role in members}
    if not latest:
        return
    added_at = require_utc(now, "now")
    rows = [
        _member_values(room_id, slack_user_id, acs_user_id, role, added_at)
        for slack_user_id, (acs_user_id, role) in latest.items()
    ]
    insert = upsert_insert(session, RoomMemberRow).values(rows)
    changes = {"acs_user_id": insert.excluded.acs_user_id, "role": insert.excluded.role}
    upsert = insert.on_conflict_do_update(index_elements=["room_id", "slack_user_id"], set_=changes)
    session.exec(upsert)


def _member_values(
    room_id: int, slack_user_id: str, acs_user_id: str, role: str, added_at: datetime
) -> dict[str, object]:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    return {
        "room_id": room_id,
        "slack_user_id": slack_user_id,
        "acs_user_id": acs_user_id,
        "role": role,
        "added_at": added_at,
    }


def remove_members(session: Session, *, room_id: int, slack_user_ids: Collection[str]) -> None:
    if not slack_user_ids:
        return
    statement = delete(RoomMemberRow).where(
        col(RoomMemberRow.room_id) == room_id,
        col(RoomMemberRow.slack_user_id).in_(set(slack_user_ids)),
    )
    session.exec(statement)
