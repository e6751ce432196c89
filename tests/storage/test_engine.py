"""Engine set-up: SQLite pragmas on every connection, directories, URLs."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, make_url

from storage.engine import default_database_url, is_sqlite, make_engine
from storage.errors import StorageUnavailable
from storage.session import URGENT_OPTION


def pragma(engine: Engine, name: str) -> object:
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_the_default_url_is_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    url = make_url(default_database_url(tmp_path / "data"))
    assert (url.get_backend_name(), url.database) == (
        "sqlite",
        str(tmp_path / "data" / "roombot.db"),
    )


def test_a_sqlite_engine_creates_the_directory_of_its_file(tmp_path: Path) -> None:
    engine = make_engine(default_database_url(tmp_path / "deep" / "er"))
    assert (tmp_path / "deep" / "er").is_dir()
    assert is_sqlite(engine)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(default_database_url(tmp_path))
    assert (pragma(engine, "journal_mode"), pragma(engine, "foreign_keys")) == ("wal", 1)
    assert pragma(engine, "busy_timeout") == 20000
    assert pragma(engine, "synchronous") == 1  # NORMAL: no fsync on each commit, WAL-safe
    engine.dispose()


def test_every_new_sqlite_connection_gets_the_pragmas(tmp_path: Path) -> None:
    engine = make_engine(default_database_url(tmp_path))
    first, second = engine.raw_connection(), engine.raw_connection()  # two, side by side
    try:
        values = [c.cursor().execute("PRAGMA foreign_keys").fetchone()[0] for c in (first, second)]
    finally:
        first.close()
        second.close()
    assert values == [1, 1]
    engine.dispose()


def test_sqlite_transactions_take_the_write_lock_when_they_begin(tmp_path: Path) -> None:
    """So a transaction never fails at its first write because another wrote since it read."""
    engine = make_engine(default_database_url(tmp_path))
    with engine.begin() as connection:
        connection.exec_driver_sql("SELECT 1")
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA busy_timeout=0")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                raw.cursor().execute("BEGIN IMMEDIATE")
        finally:
            raw.close()
    engine.dispose()


def test_a_write_lock_not_had_within_the_busy_timeout_is_a_store_outage(tmp_path: Path) -> None:
    """Said to the person as the database being unavailable, never as a crash."""
    engine = make_engine(default_database_url(tmp_path))
    event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA busy_timeout=200"))  # quick
    holder = engine.raw_connection()
    try:
        holder.cursor().execute("BEGIN IMMEDIATE")  # someone holds the lock past busy_timeout
        with pytest.raises(StorageUnavailable, match="database is locked"), engine.begin() as c:
            c.exec_driver_sql("SELECT 1")
    finally:
        holder.close()
        engine.dispose()


def test_postgresql_commits_do_not_wait_for_the_disk_unless_the_url_says_so(engine: Engine) -> None:
    """PostgreSQL's counterpart of synchronous=NORMAL, set for every connection; the URL's own
    libpq options still apply (this run's private schema is one) and win over RoomBot's."""
    if is_sqlite(engine):
        pytest.skip("a PostgreSQL setting; SQLite's synchronous=NORMAL is checked above")
    url = engine.url.render_as_string(hide_password=False)

    def show(engine: Engine, setting: str) -> object:
        with engine.connect() as connection:
            return connection.exec_driver_sql(f"SHOW {setting}").scalar()

    assert show(engine, "synchronous_commit") == "off"
    assert "roombot_test_" in str(show(engine, "search_path"))
    given = make_url(url)
    options = f"{given.query.get('options', '')} -c synchronous_commit=on".strip()
    operators = make_engine(given.update_query_dict({"options": options}).render_as_string(False))
    try:
        assert show(operators, "synchronous_commit") == "on"
        assert "roombot_test_" in str(show(operators, "search_path"))
    finally:
        operators.dispose()


def test_an_urgent_transaction_waits_for_the_write_lock_and_leaves_the_timeout_as_it_was(
    tmp_path: Path,
) -> None:
    """The ack's job insert asks for the lock often instead of sleeping SQLite's long steps;
    it still waits for a holder (here 0.3 s), and the connection keeps its busy_timeout."""
    engine = make_engine(default_database_url(tmp_path))
    holder = engine.raw_connection()
    holder.cursor().execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, holder.rollback)
    release.start()
    try:
        with engine.connect().execution_options(**{URGENT_OPTION: True}) as connection:
            with connection.begin():
                connection.exec_driver_sql("CREATE TABLE t (x)")
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 20000
    finally:
        release.join()
        holder.close()
        engine.dispose()


def test_an_urgent_transaction_not_given_the_lock_within_the_busy_timeout_is_an_outage(
    tmp_path: Path,
) -> None:
    engine = make_engine(default_database_url(tmp_path))
    event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA busy_timeout=200"))  # quick
    holder = engine.raw_connection()
    try:
        holder.cursor().execute("BEGIN IMMEDIATE")
        urgent = engine.connect().execution_options(**{URGENT_OPTION: True})
        with pytest.raises(StorageUnavailable, match="database is locked"), urgent.begin():
            urgent.exec_driver_sql("SELECT 1")
        urgent.close()
    finally:
        holder.close()
        engine.dispose()
