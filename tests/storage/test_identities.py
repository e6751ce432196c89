"""ACS identities: exactly one per Slack user per workspace, even under concurrent claims."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage import identities
from storage.models import AcsIdentityRow
from storage.session import session_scope

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
Scope = dict[str, str]


def claim(engine: Engine, scope: Scope, slack_user_id: str, acs_user_id: str) -> AcsIdentityRow:
    with session_scope(engine) as session:
        return identities.claim_identity(
            session, **scope, slack_user_id=slack_user_id, acs_user_id=acs_user_id, now=NOW
        )


def count_identities(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(AcsIdentityRow)).one()


def test_a_first_claim_stores_the_identity(engine: Engine, acme: Scope) -> None:
    row = claim(engine, acme, "U1", "8:acs:one")
    with session_scope(engine) as session:
        found = identities.find_identity(session, **acme, slack_user_id="U1")
    assert found is not None
    assert (found.id, found.acs_user_id, found.created_at) == (row.id, "8:acs:one", NOW)


def test_a_second_claim_for_the_same_user_returns_the_first_identity(
    engine: Engine, acme: Scope
) -> None:
    claim(engine, acme, "U1", "8:acs:first")
    second = claim(engine, acme, "U1", "8:acs:spare")
    assert second.acs_user_id == "8:acs:first"
    assert count_identities(engine) == 1


def test_the_same_user_id_in_another_workspace_gets_its_own_identity(
    engine: Engine, acme: Scope, globex: Scope
) -> None:
    claim(engine, acme, "U1", "8:acs:acme")
    other = claim(engine, globex, "U1", "8:acs:globex")
    assert other.acs_user_id == "8:acs:globex"
    assert count_identities(engine) == 2


def test_the_database_refuses_two_identities_for_one_user(engine: Engine, acme: Scope) -> None:
    claim(engine, acme, "U1", "8:acs:first")
    duplicate = AcsIdentityRow(**acme, slack_user_id="U1", acs_user_id="8:acs:x", created_at=NOW)
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(duplicate)


def test_an_acs_id_already_owned_by_another_user_cannot_be_claimed(
    engine: Engine, acme: Scope
) -> None:
    claim(engine, acme, "U1", "8:acs:shared")
    with pytest.raises(IntegrityError):
        claim(engine, acme, "U2", "8:acs:shared")


def test_concurrent_claims_for_one_user_all_get_the_single_winner(
    engine: Engine, acme: Scope
) -> None:
    claimants = 8
    start = threading.Barrier(claimants)

    def race(n: int) -> str:
        start.wait()
        return claim(engine, acme, "U_RACE", f"8:acs:candidate-{n}").acs_user_id

    with ThreadPoolExecutor(claimants) as pool:
        results = list(pool.map(race, range(claimants)))
    assert len(set(results)) == 1
    assert results[0].startswith("8:acs:candidate-")
    assert count_identities(engine) == 1


def test_find_identities_returns_only_the_known_users_of_that_workspace(
    engine: Engine, acme: Scope, globex: Scope
) -> None:
    claim(engine, acme, "U1", "8:acs:1")
    claim(engine, acme, "U2", "8:acs:2")
    claim(engine, globex, "U3", "8:acs:3")
    with session_scope(engine) as session:
        found = identities.find_identities(
            session, **acme, slack_user_ids=["U1", "U3", "U_UNKNOWN"]
        )
    assert {user: row.acs_user_id for user, row in found.items()} == {"U1": "8:acs:1"}


def test_find_identities_of_nobody_is_empty(engine: Engine, acme: Scope) -> None:
    with session_scope(engine) as session:
        assert identities.find_identities(session, **acme, slack_user_ids=[]) == {}


def test_find_identity_is_scoped_to_the_workspace(
    engine: Engine, acme: Scope, globex: Scope
) -> None:
    claim(engine, acme, "U1", "8:acs:1")
    with session_scope(engine) as session:
        assert identities.find_identity(session, **globex, slack_user_id="U1") is None


def test_an_identity_can_be_found_by_its_acs_id(engine: Engine, globex: Scope) -> None:
    claim(engine, globex, "U7", "8:acs:seven")
    with session_scope(engine) as session:
        row = identities.find_identity_by_acs_id(session, acs_user_id="8:acs:seven")
        missing = identities.find_identity_by_acs_id(session, acs_user_id="8:acs:none")
    assert row is not None
    assert (row.enterprise_id, row.team_id, row.slack_user_id) == ("E_GLOBEX", "T_ACME", "U7")
    assert missing is None
