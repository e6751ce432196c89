"""The SQL statements an engine runs inside a block, for tests that bound them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Each statement run in the block, as its first three words ("UPDATE room SET")."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(" ".join(str(args[2]).split()[:3]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)  # the engine may be shared


@contextmanager
def room_selects(engine: Engine) -> Iterator[list[str]]:
    """The SELECTs on the room table run inside the block, whole."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        sql = " ".join(str(args[2]).split())
        if sql.startswith("SELECT") and "FROM room " in f"{sql} ":
            seen.append(sql)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)  # the engine may be shared
