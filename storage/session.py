"""The one way to talk to the store: a session that commits or rolls back as a unit."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Final

from sqlmodel import Session

from storage.errors import unavailable_on_connection_errors

# An execution option (`Connection.execution_options(roombot_urgent=True)`): that connection's
# transaction takes SQLite's write lock ahead of other waiters (storage/engine.py). For the
# statement an ack waits for; the others may wait their turn.
URGENT_OPTION: Final = "roombot_urgent"

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy import Connection, Engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Commit on success, roll back on an exception; lost connections become StorageUnavailable.

    Rows stay readable after the block (expire_on_commit=False): callers map them to domain
    objects once the transaction is over, without a reload that could hit a closed session.
    """
    with (
        unavailable_on_connection_errors(),
        Session(engine, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


@contextmanager
def statement_scope(engine: Engine) -> Iterator[Connection]:
    """A plain connection for one statement that an ack waits for: on PostgreSQL in autocommit
    (one round trip instead of BEGIN, the statement and COMMIT); on SQLite in a transaction
    that takes the write lock ahead of other writers waiting for it (storage/engine.py)."""
    with unavailable_on_connection_errors():
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                yield connection
        else:
            urgent = engine.connect().execution_options(**{URGENT_OPTION: True})
            with urgent as connection, connection.begin():
                yield connection
