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
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(entity)
    if dialect == "sqlite":
        return sqlite.insert(entity)
    raise NotImplementedError(f"RoomBot's store supports SQLite and PostgreSQL, not {dialect}")


def commit_without_waiting_for_disk(session: Session) -> None:
    """PostgreSQL: this transaction's commit does not wait for its WAL flush (~5-10 ms here).
    What it wrote survives any crash of RoomBot once COMMIT returned; only a crash of the
    database server itself in the next moment could lose it. (SQLite in WAL mode with
    synchronous=NORMAL, storage/engine.py, makes the same trade for every commit.)"""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql("SET LOCAL synchronous_commit = off")
