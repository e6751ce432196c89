"""State in SQLite: a file under data_dir (survives restarts) or an in-memory database.

One connection guarded by one lock: every API operation runs as a single serialised transaction,
so a check (say, the participant limit) and the write it guards cannot interleave with another.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from contextlib import contextmanager
from typing import TYPE_CHECKING

from acs_emulator.transaction import Transaction

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

DATABASE_FILE = "acs_emulator.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL,
    valid_from INTEGER NOT NULL, valid_until INTEGER NOT NULL, pstn INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS participants (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, room_id TEXT NOT NULL, raw_id TEXT NOT NULL,
    role TEXT NOT NULL, UNIQUE (room_id, raw_id));
CREATE INDEX IF NOT EXISTS participants_by_room ON participants (room_id, seq);
CREATE TABLE IF NOT EXISTS identities (
    id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, tokens_revoked_at INTEGER);
CREATE TABLE IF NOT EXISTS repeatability (
    request_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, first_sent INTEGER NOT NULL,
    status INTEGER NOT NULL, body BLOB NOT NULL, location TEXT);
CREATE INDEX IF NOT EXISTS repeatability_by_age ON repeatability (first_sent);
"""


class Store:
    def __init__(self, data_dir: Path | None) -> None:
        self._connection = _connect(data_dir)
        self._lock = threading.Lock()
        self._connection.executescript(_SCHEMA)
        self.resource_id = self._resource_id()

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """Consistent reads without BEGIN/COMMIT: every access holds the one lock, so no write
        can interleave, and each sqlite call releases the GIL (fewer calls, less contention)."""
        with self._lock:
            yield Transaction(self._connection)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Serialised read-write unit; rolled back if the block raises (an error answer)."""
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._connection)
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def _resource_id(self) -> str:
        """The emulated resource's GUID, part of every identity id; stable across restarts."""
        with self.transaction() as tx:
            existing = tx.meta("resource_id")
            if existing is None:
                existing = str(uuid.uuid4())
                tx.set_meta("resource_id", existing)
            return existing


def _connect(data_dir: Path | None) -> sqlite3.Connection:
    if data_dir is None:
        return sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    data_dir.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(
        data_dir / DATABASE_FILE, check_same_thread=False, isolation_level=None, timeout=10
    )
    # WAL + NORMAL: a commit is crash-safe for the database and costs no fsync per request.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection
