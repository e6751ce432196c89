"""The audit view's button values: its filters and a page cursor in compact JSON.

A value can be replayed by anyone who sees the message, so it carries no workspace (the click
says which) and the server re-checks admin rights on every click; anything malformed is None.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, Final

from bot.services.audit.events import AuditFilters, Cursor
from bot.services.domain import RoomKey

VALUE_MAX: Final = 2000  # Slack's limit for a button value
MAX_PEOPLE: Final = 50  # keeps a value with the longest ids and every filter under VALUE_MAX
_USER_ID: Final = re.compile(r"\A[UW][A-Z0-9]{2,20}\Z")
_ACTION_WORD: Final = re.compile(r"\A[\w.\-]{1,40}\Z")


def encode(filters: AuditFilters, cursor: Cursor | None = None) -> str:
    fields: dict[str, Any] = {
        "r": filters.room.number if filters.room else None,
        "p": list(filters.people) or None,
        "s": int(filters.since.timestamp()) if filters.since else None,
        "a": filters.action,
        "o": cursor.older_than if cursor else None,
        "n": cursor.newer_than if cursor else None,
    }
    value = json.dumps({k: v for k, v in fields.items() if v is not None}, separators=(",", ":"))
    if len(value) > VALUE_MAX:
        raise ValueError("audit filters do not fit in a button value")
    return value


def decode(value: str) -> tuple[AuditFilters, Cursor] | None:
    try:
        fields = json.loads(value) if len(value) <= VALUE_MAX else None
        return (_filters(fields), _cursor(fields)) if isinstance(fields, dict) else None
    except (ValueError, TypeError, OverflowError, OSError):
        return None


def _filters(fields: dict[str, Any]) -> AuditFilters:
    room, since = _number(fields.get("r")), _number(fields.get("s"))
    people = fields.get("p") or []
    action = fields.get("a")
    if not isinstance(people, list) or not all(_is_user(p) for p in people[:MAX_PEOPLE]):
        raise ValueError("bad people")
    if action is not None and not (isinstance(action, str) and _ACTION_WORD.match(action)):
        raise ValueError("bad action")
    return AuditFilters(
        room=None if room is None else RoomKey(number=room),
        people=tuple(people[:MAX_PEOPLE]),
        since=None if since is None else datetime.fromtimestamp(since, UTC),
        action=action,
    )


def _cursor(fields: dict[str, Any]) -> Cursor:
    return Cursor(older_than=_number(fields.get("o")), newer_than=_number(fields.get("n")))


def _number(value: object) -> int | None:
    if value is None:
        return None
    # A forged value may hold any JSON number; beyond a 64-bit integer no column can compare.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise ValueError("not a number")
    return value


def _is_user(value: object) -> bool:
    return isinstance(value, str) and bool(_USER_ID.match(value))
