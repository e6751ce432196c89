"""Engines for the two supported stores: a SQLite file (default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from storage.errors import StorageUnavailable
from storage.session import URGENT_OPTION

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
URGENT_FIRST_PAUSE, URGENT_LAST_PAUSE = 0.0002, 0.001
WAL_SWITCH_WAIT_SECONDS: Final = 20.0  # as long as busy_timeout
# PostgreSQL's counterpart of SQLite's synchronous=NORMAL above: a commit returns once it is in
# the server's WAL buffers, not on disk (flushed within ~0.6 s). What RoomBot committed survives
# any crash of RoomBot; only a crash of the database server itself could lose its last
# transactions, whole and in order, never half. Each ack waits for its job's commit: a WAL flush
# cost ~2 ms of it on this machine's disk (`SET LOCAL` per transaction would cost a round trip).
PG_SETTINGS: Final = (("synchronous_commit", "off"),)
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
            _execute_when_free(cursor, pragma)
    finally:
        cursor.close()
    # SQLAlchemy, not the driver, begins transactions (`_begin_immediate`): SQLAlchemy's
    # documented recipe for SQLite, whose driver would otherwise begin them itself, deferred.
    dbapi_connection.isolation_level = None


def _execute_when_free(cursor: Any, pragma: str) -> None:
    """Run `pragma`, trying again while the file is locked. Switching a new file to WAL needs
    a lock SQLite does not wait for (no busy handler), so a second process connecting while the
    first migrates it would fail at once; it waits here, as long as busy_timeout would."""
    deadline = time.monotonic() + WAL_SWITCH_WAIT_SECONDS
    while True:
        try:
            cursor.execute(pragma)
            return
        except sqlite3.OperationalError as exc:
            locked = exc.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not locked or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _begin_immediate(connection: Any) -> None:
    """Every transaction takes SQLite's write lock when it begins, waiting (busy_timeout) for
    it if another holds it. A deferred transaction reads first and asks for the lock at its
    first write; if another writer committed meanwhile, SQLite cannot give it and fails at once
    ("database is locked", no waiting): with many threads writing jobs, turns and rooms, that
    failed requests under load. One writer at a time is what SQLite does anyway. Sent on the
    driver's connection: it is bookkeeping, not a statement of the unit of work."""
    driver = connection.connection.driver_connection
    try:
        if connection.get_execution_options().get(URGENT_OPTION):
            _begin_urgently(driver)
        else:
            driver.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:  # waited busy_timeout for the lock, in vain
        raise StorageUnavailable(f"the database is unavailable: {exc}") from exc


def _begin_urgently(driver: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, asking for the lock every 0.2-1 ms for up to busy_timeout. SQLite's
    own wait sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100 ms between tries, so a
    waiter asking more often takes the lock as soon as it is free, before the ones asleep.
    With a worker writing rooms beside it, serve's serial ack p50 went from ~11 ms to ~5 ms
    and its p99 from ~500 ms to ~30 ms with this (bench/bench_ack.py)."""
    (waited_ms,) = driver.execute("PRAGMA busy_timeout").fetchone()
    deadline = time.monotonic() + waited_ms / 1000
    driver.execute("PRAGMA busy_timeout=0")  # a try that finds the lock taken fails at once
    pause = URGENT_FIRST_PAUSE
    try:
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                busy = exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY  # or extended
                if not busy or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(URGENT_LAST_PAUSE, pause * 1.25)
    finally:
        driver.execute(f"PRAGMA busy_timeout={int(waited_ms)}")


def _postgresql_engine(url: URL) -> Engine:
    connect_args: dict[str, Any] = {"options": _pg_options(url)}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_SECONDS
    # pre_ping: a pooled connection cut by a failover or idle timeout is replaced, not used.
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _pg_options(url: URL) -> str:
    """RoomBot's session settings, then the URL's own libpq `options`, which win (the later
    `-c` does): an operator's `-c synchronous_commit=on` in DATABASE_URL still applies."""
    given = url.query.get("options", ())
    own = [f"-c {name}={value}" for name, value in PG_SETTINGS]
    return " ".join([*own, *((given,) if isinstance(given, str) else given)])


def _make_directory(directory: Path) -> None:
    """The SQLite file's directory; one that cannot be made is a store that cannot serve."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageUnavailable(
            f"the database is unavailable: cannot create {directory}: {exc.strerror}"
        ) from exc
