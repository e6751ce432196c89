"""A room's life before it is usable: reserved here, created in ACS, then activated.

The reservation comes first so the room has its number and a double submit is caught
before anything exists in ACS; reconciliation sweeps reservations that never finished.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import func
from sqlmodel import Session, col, delete, select, update

from storage.dialects import upsert_insert
from storage.errors import StorageUnavailable
from storage.models import ACTIVE, CREATING, RoomRow, new_join_key
from storage.room_rows import in_workspace, lock_room
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from datetime import datetime

# Each failed attempt means another reservation took that number and committed, so N
# concurrent reservations need at most N attempts; this bound is far above real contention.
MAX_RESERVE_ATTEMPTS: Final = 50


def reserve_room(
    session: Session,
    *,
    enterprise_id: str,
    team_id: str,
    creation_key: str,
    title: str,
    organizer_id: str,
    channel_id: str | None,
    valid_from: datetime,
    valid_until: datetime,
    pstn_dial_out_enabled: bool,
    now: datetime,
) -> tuple[RoomRow, bool]:
    """Reserve the workspace's next room number in state "creating"; returns (row, is_new).

    A creation_key seen before in this workspace (a double submit) returns that room and False.
    """
    workspace = {"enterprise_id": enterprise_id, "team_id": team_id}
    created_at = require_utc(now, "now")
    values: dict[str, Any] = workspace | {
        "creation_key": creation_key,
        "title": title,
        "title_key": title.casefold(),
        "organizer_id": organizer_id,
        "channel_id": channel_id,
        "valid_from": require_utc(valid_from, "valid_from"),
        "valid_until": require_utc(valid_until, "valid_until"),
        "pstn_dial_out_enabled": pstn_dial_out_enabled,
        "state": CREATING,
        "created_at": created_at,
        "updated_at": created_at,
    }
    for _attempt in range(MAX_RESERVE_ATTEMPTS):
        existing = _find_by_creation_key(session, **workspace, creation_key=creation_key)
        if existing is not None:
            return existing, False
        row = _insert_with_next_number(session, values | {"join_key": new_join_key()})
        if row is not None:
            return row, True
    raise StorageUnavailable("could not reserve a room number: too many concurrent reservations")


def _find_by_creation_key(
    session: Session, *, enterprise_id: str, team_id: str, creation_key: str
) -> RoomRow | None:
    statement = select(RoomRow).where(
        *in_workspace(enterprise_id, team_id), col(RoomRow.creation_key) == creation_key
    )
    return session.exec(statement).one_or_none()


def _insert_with_next_number(session: Session, values: dict[str, Any]) -> RoomRow | None:
    """The new room as inserted, or None when a concurrent reservation took the number or
    the key.

    ON CONFLICT DO NOTHING instead of catching IntegrityError: the transaction stays usable
    without a SAVEPOINT, and PostgreSQL waits for the competing insert to commit or roll
    back before deciding, so the next attempt reads a settled maximum.
    """
    highest = select(func.coalesce(func.max(col(RoomRow.number)), 0)).where(
        *in_workspace(values["enterprise_id"], values["team_id"])
    )
    number = session.exec(highest).one() + 1
    insert = upsert_insert(session, RoomRow).values(**values, number=number)
    inserted = session.scalars(insert.on_conflict_do_nothing().returning(RoomRow))
    return inserted.one_or_none()


def activate_room(
    session: Session,
    *,
    room_id: int,
    acs_room_id: str,
    valid_from: datetime,
    valid_until: datetime,
    pstn_dial_out_enabled: bool,
    now: datetime,
) -> tuple[RoomRow, bool]:
    """Record what ACS created; returns (row, True) when this call moved it out of "creating".

    A room already active (a double submit that reached ACS twice) is returned unchanged with
    False: the caller compares acs_room_id and deletes its own ACS room if it differs.
    """
    # A conditional UPDATE, not read-then-write: on both dialects only one of two racing
    # activations can still see "creating" when its UPDATE runs. It returns the row it
    # activated; the room is read only when it was not this call's to activate.
    statement = (
        update(RoomRow)
        .where(col(RoomRow.id) == room_id, col(RoomRow.state) == CREATING)
        .values(
            acs_room_id=acs_room_id,
            valid_from=require_utc(valid_from, "valid_from"),
            valid_until=require_utc(valid_until, "valid_until"),
            pstn_dial_out_enabled=pstn_dial_out_enabled,
            state=ACTIVE,
            updated_at=require_utc(now, "now"),
        )
        .returning(RoomRow)
        .execution_options(populate_existing=True)
    )
    activated = session.scalars(statement).one_or_none()
    if activated is not None:
        return activated, True
    return lock_room(session, room_id), False


def discard_reservation(session: Session, *, room_id: int) -> None:
    """Forget a reservation whose ACS create failed; an activated room is left alone."""
    statement = delete(RoomRow).where(col(RoomRow.id) == room_id, col(RoomRow.state) == CREATING)
    session.exec(statement)


def list_stale_reservations(session: Session, *, older_than: datetime) -> list[RoomRow]:
    """Reservations of every workspace still "creating" since before `older_than`."""
    statement = (
        select(RoomRow)
        .where(col(RoomRow.state) == CREATING)
        .where(col(RoomRow.created_at) < require_utc(older_than, "older_than"))
        .order_by(col(RoomRow.created_at), col(RoomRow.id))
    )
    return list(session.exec(statement))
