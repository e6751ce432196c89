"""Engines for the two supported stores: a SQLite file (default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from storage.errors import StorageUnavailable

# busy_timeout first, so switching to WAL waits for a busy file instead of failing.
SQLITE_PRAGMAS: Final = (
    # Every transaction takes the write lock at BEGIN (below): with many threads waiting for
    # the GIL, its holder may take seconds under load, and a wait that gives up is a request
    # told "try again". 20 s: slow under overload, but done.
    "PRAGMA busy_timeout=20000",
    "PRAGMA journal_mode=WAL",  # readers never block the writer (bot + reminder worker)
    # Commits reach the WAL file at once but are synced to disk at checkpoints, not each time
    # (SQLite's recommended setting with WAL): what is committed survives any crash of RoomBot;
    # only a power loss or OS crash could take back the last transactions. Each ack waits for
    # its job's commit: an fsync there cost ~10 ms on this machine's disk.
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",  # off by default in SQLite; ON DELETE CASCADE needs it
)
# A dead PostgreSQL host should fail a request in seconds, not hang it for minutes.
PG_CONNECT_TIMEOUT_SECONDS: Final = 10


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'roombot.db'}"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """An engine for `url`; creating a SQLite file's directory is the only I/O done here."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.get_backend_name() == "postgresql":
        return _postgresql_engine(parsed)
    return create_engine(parsed)


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        _make_directory(Path(database).parent)
    # Sessions move between threads (Bolt's listener pool); the pool serialises their use.
    engine = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _apply_sqlite_pragmas)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _apply_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
    # SQLAlchemy, not the driver, begins transactions (`_begin_immediate`): SQLAlchemy's
    # documented recipe for SQLite, whose driver would otherwise begin them itself, deferred.
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Any) -> None:
    """Every transaction takes SQLite's write lock when it begins, waiting (busy_timeout) for
    it if another holds it. A deferred transaction reads first and asks for the lock at its
    first write; if another writer committed meanwhile, SQLite cannot give it and fails at once
    ("database is locked", no waiting): with many threads writing jobs, turns and rooms, that
    failed requests under load. One writer at a time is what SQLite does anyway. Sent on the
    driver's connection: it is bookkeeping, not a statement of the unit of work."""
    try:
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # waited busy_timeout for the lock, in vain
        raise StorageUnavailable(f"the database is unavailable: {exc}") from exc


def _postgresql_engine(url: URL) -> Engine:
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_SECONDS
    # pre_ping: a pooled connection cut by a failover or idle timeout is replaced, not used.
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _make_directory(directory: Path) -> None:
    """The SQLite file's directory; one that cannot be made is a store that cannot serve."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageUnavailable(
            f"the database is unavailable: cannot create {directory}: {exc.strerror}"
        ) from exc
