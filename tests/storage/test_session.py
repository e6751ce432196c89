"""session_scope: one transaction per block, and a clear error when the database is gone."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import select

from storage import identities
from storage.engine import make_engine
from storage.errors import StorageUnavailable
from storage.models import AcsIdentityRow
from storage.session import session_scope

Scope = dict[str, str]


def stored_users(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return list(session.exec(select(AcsIdentityRow.slack_user_id)))


def test_a_block_that_succeeds_is_committed(engine: Engine, acme: Scope, now: Any) -> None:
    with session_scope(engine) as session:
        identities.claim_identity(
            session, **acme, slack_user_id="U1", acs_user_id="8:acs:1", now=now
        )
    assert stored_users(engine) == ["U1"]


def claim_then_fail(engine: Engine, acme: Scope, now: Any) -> None:
    with session_scope(engine) as session:
        identities.claim_identity(
            session, **acme, slack_user_id="U1", acs_user_id="8:acs:1", now=now
        )
        raise RuntimeError("boom")


def test_a_block_that_raises_is_rolled_back(engine: Engine, acme: Scope, now: Any) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        claim_then_fail(engine, acme, now)
    assert stored_users(engine) == []


def test_an_unreachable_postgresql_raises_storage_unavailable_quickly() -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2")
    started = time.monotonic()
    with pytest.raises(StorageUnavailable), session_scope(engine) as session:
        session.exec(select(text("1")))
    assert time.monotonic() - started < 5


def test_an_unopenable_sqlite_file_raises_storage_unavailable(tmp_path: Any) -> None:
    (tmp_path / "roombot.db").mkdir()  # a directory where the database file should be
    engine = make_engine(f"sqlite:///{tmp_path / 'roombot.db'}")
    with pytest.raises(StorageUnavailable), session_scope(engine) as session:
        session.exec(select(text("1")))
