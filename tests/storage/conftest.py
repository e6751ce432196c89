"""Storage test fixtures: a fixed clock, two workspaces, and rooms made in one line.

Workspaces are the repositories' scope keyword arguments, so tests write `**acme`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from storage import reservations
from storage.models import RoomRow
from storage.session import session_scope

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

Scope = dict[str, str]
MakeRoom = Callable[..., RoomRow]


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def acme() -> Scope:
    return {"enterprise_id": "", "team_id": "T_ACME"}


@pytest.fixture
def globex() -> Scope:
    """The same team id as acme, but inside an Enterprise Grid: a different workspace."""
    return {"enterprise_id": "E_GLOBEX", "team_id": "T_ACME"}


@pytest.fixture
def reserve(engine: Engine, acme: Scope) -> MakeRoom:
    """Reserve a room (state "creating") in its own committed transaction."""

    def make(scope: Scope | None = None, **fields: Any) -> RoomRow:
        values: dict[str, Any] = {
            "creation_key": uuid.uuid4().hex,
            "title": "Standup",
            "organizer_id": "U_ORG",
            "channel_id": "C_GENERAL",
            "valid_from": NOW,
            "valid_until": NOW + timedelta(hours=1),
            "pstn_dial_out_enabled": False,
            "now": NOW,
        } | fields
        with session_scope(engine) as session:
            row, _is_new = reservations.reserve_room(session, **(scope or acme), **values)
        return row

    return make


@pytest.fixture
def make_room(engine: Engine, reserve: MakeRoom) -> MakeRoom:
    """An active room: reserved, then activated with an ACS id unique to its workspace."""

    def make(scope: Scope | None = None, **fields: Any) -> RoomRow:
        reserved = reserve(scope, **fields)
        assert reserved.id is not None
        with session_scope(engine) as session:
            row, _ = reservations.activate_room(
                session,
                room_id=reserved.id,
                acs_room_id=f"acs-{reserved.enterprise_id}-{reserved.team_id}-{reserved.number}",
                valid_from=reserved.valid_from,
                valid_until=reserved.valid_until,
                pstn_dial_out_enabled=reserved.pstn_dial_out_enabled,
                now=NOW,
            )
        return row

    return make
