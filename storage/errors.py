"""Errors the storage layer raises, so callers need not know SQLAlchemy's exception tree."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.exc import InterfaceError, OperationalError

if TYPE_CHECKING:
    from collections.abc import Iterator


class StorageUnavailable(Exception):
    """The database could not be reached or refused to serve; trying again later may work."""


class RoomNotFound(LookupError):
    """A room id given to a write no longer exists (for example a discarded reservation)."""


@contextmanager
def unavailable_on_connection_errors() -> Iterator[None]:
    """Turn the driver's "cannot serve you now" errors into StorageUnavailable.

    Connection refused or dropped, server shutting down, SQLite busy past its timeout: each
    means "try again later" to a caller, who should not have to know the driver's errors.
    """
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        raise StorageUnavailable(f"the database is unavailable: {exc.orig}") from exc
