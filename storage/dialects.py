"""INSERT ... ON CONFLICT for whichever dialect a session is bound to.

Both supported stores speak the same upsert clause, so repositories can be race-safe
without SAVEPOINTs (which pysqlite's deferred BEGIN handles poorly).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.dialects import postgresql, sqlite

if TYPE_CHECKING:
    from sqlmodel import Session


def upsert_insert(session: Session, entity: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for `entity` that supports on_conflict_do_nothing / on_conflict_do_update."""
    return dialect_insert(session.get_bind().dialect.name, entity)


def dialect_insert(dialect: str, entity: Any) -> postgresql.Insert | sqlite.Insert:
    """`upsert_insert` for a dialect named rather than a session's."""
    if dialect == "postgresql":
        return postgresql.insert(entity)
    if dialect == "sqlite":
        return sqlite.insert(entity)
    raise NotImplementedError(f"RoomBot's store supports SQLite and PostgreSQL, not {dialect}")
