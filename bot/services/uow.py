"""A database unit of work that speaks domain errors, and a schema made ready on first use."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from bot.services.errors import StoreUnavailable
from storage.errors import StorageUnavailable
from storage.session import session_scope, statement_scope

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sqlalchemy import Connection, Engine
    from sqlmodel import Session

UNAVAILABLE = (
    "RoomBot's database is temporarily unavailable, so nothing was changed. "
    "Please try again in a minute."
)

# Engines whose schema could not be checked at start (the database was down): the first
# unit of work that reaches the database makes it ready, once, before doing anything else.
_PENDING: WeakKeyDictionary[Engine, Callable[[Engine], None]] = WeakKeyDictionary()
_PENDING_LOCK = threading.Lock()


def defer_schema(engine: Engine, ensure: Callable[[Engine], None]) -> None:
    """Run `ensure(engine)` before the next unit of work on `engine`, until it succeeds."""
    with _PENDING_LOCK:
        _PENDING[engine] = ensure


def _ready(engine: Engine) -> None:
    if engine not in _PENDING:  # the common case costs one lock-free lookup
        return
    with _PENDING_LOCK:  # one thread migrates; the others wait, then find nothing to do
        ensure = _PENDING.get(engine)
        if ensure is not None:
            ensure(engine)
            del _PENDING[engine]


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """Commit on success, roll back on error; a lost database becomes StoreUnavailable."""
    with _store_errors(engine), session_scope(engine) as session:
        yield session


@contextmanager
def one_statement(engine: Engine) -> Iterator[Connection]:
    """`unit_of_work` for a single statement on a plain connection (`statement_scope`)."""
    with _store_errors(engine), statement_scope(engine) as connection:
        yield connection


@contextmanager
def _store_errors(engine: Engine) -> Iterator[None]:
    """The schema made ready first; a lost database said as the domain's StoreUnavailable."""
    try:
        _ready(engine)
        yield
    except StorageUnavailable as exc:
        raise StoreUnavailable(UNAVAILABLE) from exc
