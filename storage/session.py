"""The one way to talk to the store: a session that commits or rolls back as a unit."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlmodel import Session

from storage.errors import unavailable_on_connection_errors

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy import Engine


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
