"""Timezone-aware UTC timestamps that survive a round trip through SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone reached the store, where every timestamp is UTC."""


def require_utc(value: datetime, name: str = "datetime") -> datetime:
    """`value` as UTC; naive values are refused because their zone would be a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns aware UTC datetimes on every dialect.

    SQLite has no time zone type and SQLAlchemy hands back naive values there, so we store
    the UTC wall time and re-attach UTC when reading. PostgreSQL keeps `timestamptz`, whose
    values come back in the session's zone, hence the conversion on read as well.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = require_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
