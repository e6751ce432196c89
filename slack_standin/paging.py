"""Cursor paging the way Slack does it: opaque base64 cursors, "" when there is no more."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, TypeVar

from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from collections.abc import Sequence

_T = TypeVar("_T")
_PREFIX = "offset:"


def page(items: Sequence[_T], args: Args, default_limit: int) -> tuple[list[_T], dict[str, str]]:
    """One page of `items` and the `response_metadata` to send with it."""
    start = _decode(args.text("cursor"))
    limit = args.number("limit", default_limit)
    end = start + (limit if limit > 0 else default_limit)
    next_cursor = _encode(end) if end < len(items) else ""
    return list(items[start:end]), {"next_cursor": next_cursor}


def _encode(offset: int) -> str:
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode()


def _decode(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        text = base64.b64decode(cursor, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ApiError("invalid_cursor") from exc
    if not text.startswith(_PREFIX) or not text[len(_PREFIX) :].isdigit():
        raise ApiError("invalid_cursor")
    return int(text[len(_PREFIX) :])
