"""Room calls and their attendees, as ACS's calling events report them; the live-call loop's
claims on calls whose Slack side is behind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func
from sqlmodel import Session, col, select, update

from storage import leases
from storage.dialects import upsert_insert
from storage.models import CallAttendeeRow, RoomCallRow, RoomRow
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence
    from datetime import datetime


def lock_call(
    session: Session,
    *,
    enterprise_id: str,
    team_id: str,
    room_id: int,
    server_call_id: str,
    at: datetime,
) -> tuple[RoomCallRow, bool]:
    """The call, row-locked for this transaction (events for one call apply one at a time on
    every instance), made when this is the first event of it; and whether it was just made."""
    at = require_utc(at, "at")
    insert = upsert_insert(session, RoomCallRow).values(
        enterprise_id=enterprise_id,
        team_id=team_id,
        room_id=room_id,
        server_call_id=server_call_id,
        started_at=at,
        sync_due_at=at,
        version=0,
        synced_version=0,
        attempts=0,
        slack_call_state="none",
    )
    made = session.exec(
        insert.on_conflict_do_nothing(index_elements=["server_call_id"]).returning(
            col(RoomCallRow.id)
        )
    ).first()
    statement = (
        select(RoomCallRow)
        .where(col(RoomCallRow.server_call_id) == server_call_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).one(), made is not None


def lock_attendee(
    session: Session, *, call_id: int, participant_key: str, raw_id: str
) -> CallAttendeeRow:
    insert = upsert_insert(session, CallAttendeeRow).values(
        call_id=call_id, participant_key=participant_key, raw_id=raw_id, in_slack_call=False
    )
    session.exec(insert.on_conflict_do_nothing(index_elements=["call_id", "participant_key"]))
    statement = (
        select(CallAttendeeRow)
        .where(
            col(CallAttendeeRow.call_id) == call_id,
            col(CallAttendeeRow.participant_key) == participant_key,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).one()


def list_attendees(session: Session, *, call_id: int) -> list[CallAttendeeRow]:
    statement = (
        select(CallAttendeeRow)
        .where(col(CallAttendeeRow.call_id) == call_id)
        .order_by(col(CallAttendeeRow.id))
    )
    return list(session.exec(statement))


def latest_calls(
    session: Session, *, room_ids: Collection[int]
) -> dict[int, tuple[RoomCallRow, list[CallAttendeeRow]]]:
    """Each room's latest call (the one begun last) with its attendees; rooms without one absent."""
    if not room_ids:
        return {}
    latest = (
        select(func.max(col(RoomCallRow.id)))
        .where(col(RoomCallRow.room_id).in_(set(room_ids)))
        .group_by(col(RoomCallRow.room_id))
    )
    calls = list(session.exec(select(RoomCallRow).where(col(RoomCallRow.id).in_(latest))))
    found: dict[int, list[CallAttendeeRow]] = {call.id or 0: [] for call in calls}
    if found:
        attendees = select(CallAttendeeRow).where(col(CallAttendeeRow.call_id).in_(set(found)))
        for row in session.exec(attendees.order_by(col(CallAttendeeRow.id))):
            found[row.call_id].append(row)
    return {call.room_id: (call, found[call.id or 0]) for call in calls}


def claim_behind(
    session: Session, *, now: datetime, owner: str, lease_until: datetime, limit: int
) -> list[RoomCallRow]:
    """Lease up to `limit` calls whose Slack side is behind and due, oldest due first."""
    return leases.claim(
        session,
        RoomCallRow,
        ready=[
            col(RoomCallRow.synced_version) < col(RoomCallRow.version),
            col(RoomCallRow.sync_due_at) <= require_utc(now, "now"),
        ],
        oldest_first="sync_due_at",
        now=now,
        owner=owner,
        lease_until=lease_until,
        limit=limit,
        also={"attempts": col(RoomCallRow.attempts) + 1},
    )


def next_due(session: Session) -> datetime | None:
    """The soonest `sync_due_at` of the calls whose Slack side is behind."""
    statement = select(func.min(col(RoomCallRow.sync_due_at))).where(
        col(RoomCallRow.synced_version) < col(RoomCallRow.version)
    )
    found: datetime | None = session.exec(statement).one()
    return found


def update_leased_call(
    session: Session, *, call_id: int, owner: str, values: dict[str, Any]
) -> bool:
    """Set `values` on the call if `owner` still holds its lease."""
    return leases.update_leased(session, RoomCallRow, call_id, owner, values)


def mark_in_slack_call(session: Session, *, attendee_ids: Sequence[int], listed: bool) -> None:
    if attendee_ids:
        session.exec(
            update(CallAttendeeRow)
            .where(col(CallAttendeeRow.id).in_(list(attendee_ids)))
            .values(in_slack_call=listed)
            .execution_options(synchronize_session=False)
        )


def attendance_rows(
    session: Session,
    *,
    enterprise_id: str,
    team_id: str,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    room_id: int | None = None,
    slack_user_ids: Collection[str] = (),
) -> list[tuple[RoomRow, RoomCallRow, CallAttendeeRow]]:
    """Who was in which call of this workspace's rooms, calls begun in [since, until), oldest
    call first; at most `limit` rows."""
    statement = (
        select(RoomRow, RoomCallRow, CallAttendeeRow)
        .join(RoomCallRow, col(RoomCallRow.room_id) == col(RoomRow.id))
        .join(CallAttendeeRow, col(CallAttendeeRow.call_id) == col(RoomCallRow.id))
        .where(
            col(RoomCallRow.enterprise_id) == enterprise_id,
            col(RoomCallRow.team_id) == team_id,
        )
    )
    if room_id is not None:
        statement = statement.where(col(RoomCallRow.room_id) == room_id)
    if slack_user_ids:
        statement = statement.where(col(CallAttendeeRow.slack_user_id).in_(set(slack_user_ids)))
    if since is not None:
        statement = statement.where(col(RoomCallRow.started_at) >= require_utc(since, "since"))
    if until is not None:
        statement = statement.where(col(RoomCallRow.started_at) < require_utc(until, "until"))
    ordered = statement.order_by(
        col(RoomCallRow.started_at), col(RoomCallRow.id), col(CallAttendeeRow.id)
    )
    return [(room, call, who) for room, call, who in session.exec(ordered.limit(limit))]
