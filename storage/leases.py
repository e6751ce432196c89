"""Claiming rows under a lease: the one mechanism behind reminders and jobs.

A claim stamps up to `limit` ready rows, oldest first, with the worker's name and a time its
lease runs out. PostgreSQL: the inner SELECT locks its rows and skips those another worker is
claiming (FOR UPDATE SKIP LOCKED), so concurrent claims never overlap. SQLite ignores FOR
UPDATE, but one statement is atomic there (one writer at a time). A worker that dies leaves
its lease to run out, after which any worker may claim the row again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import or_
from sqlmodel import col, select, update

from storage.timestamps import require_utc

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from sqlalchemy import ColumnElement
    from sqlmodel import Session


class Leased(Protocol):
    id: int | None
    lease_owner: str | None
    lease_until: datetime | None


Row = TypeVar("Row", bound=Leased)


def claim(
    session: Session,
    model: type[Row],
    *,
    ready: Sequence[ColumnElement[bool]],
    oldest_first: str,
    now: datetime,
    owner: str,
    lease_until: datetime,
    limit: int,
    also: dict[str, Any] | None = None,
) -> list[Row]:
    """Lease up to `limit` rows that are `ready` and held by nobody (or whose lease ran out) to
    `owner`, oldest first by `oldest_first`; `also` sets more columns on the claimed rows."""
    now = require_utc(now, "now")
    table: Any = model
    free = or_(col(table.lease_until).is_(None), col(table.lease_until) <= now)
    ids = (
        select(col(table.id))
        .where(*ready, free)
        .order_by(col(getattr(table, oldest_first)), col(table.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    values = {"lease_owner": owner, "lease_until": require_utc(lease_until, "lease_until")}
    statement = (
        update(table)
        .where(col(table.id).in_(ids.scalar_subquery()))
        .values(**values, **(also or {}))
        .returning(table)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    rows: list[Row] = list(session.exec(statement).scalars())
    return sorted(rows, key=lambda row: (getattr(row, oldest_first), row.id or 0))


def update_leased(
    session: Session, model: type[Row], row_id: int, owner: str, values: dict[str, Any]
) -> bool:
    """Set `values` on the row if `owner` still holds its lease; False when it does not."""
    table: Any = model
    # RETURNING rather than rowcount: psycopg reports -1 for some statements.
    statement = (
        update(table)
        .where(col(table.id) == row_id, col(table.lease_owner) == owner)
        .values(**values)
        .returning(col(table.id))
        .execution_options(synchronize_session=False)
    )
    return session.exec(statement).first() is not None
