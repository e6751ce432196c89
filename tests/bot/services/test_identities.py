"""Each Slack user gets exactly one ACS identity per workspace, however requests race."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from acs_emulator import RunningEmulator
from bot.services.container import Services
from bot.services.domain import Workspace
from bot.services.identities import KnownIdentities
from tests.support.slack_stack import make_services

WS = Workspace("", "T1")


def test_an_identity_is_created_once_and_reused(
    services: Services, emulator: RunningEmulator
) -> None:
    first = services.identities.ensure_identities(WS, ["U1"])
    again = services.identities.ensure_identities(WS, ["U1"])
    assert first == again
    assert first["U1"] in emulator.identities()


def test_the_same_user_in_two_workspaces_gets_two_identities(services: Services) -> None:
    one = services.identities.ensure_identities(WS, ["U1"])["U1"]
    two = services.identities.ensure_identities(Workspace("E1", "T1"), ["U1"])["U1"]
    assert one != two


def test_racing_requests_agree_on_one_identity_and_leave_no_spare(
    services: Services, emulator: RunningEmulator
) -> None:
    before = emulator.identities()
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda _: services.identities.ensure_identities(WS, ["U7"]), range(8))
        )
    assert len({answer["U7"] for answer in answers}) == 1
    assert emulator.identities() - before == {answers[0]["U7"]}


def test_many_invitees_are_provisioned_in_order_of_the_request(services: Services) -> None:
    users = [f"U{n:03d}" for n in range(40)]
    mapping = services.identities.ensure_identities(WS, users)
    assert list(mapping) == users
    assert len(set(mapping.values())) == 40


@contextmanager
def identity_queries(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The statements on the identity table run inside the block, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        if "acs_identity" in str(args[2]):
            seen.append((str(args[2]), args[3]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)  # the engine may be shared


def test_a_known_identity_is_not_looked_up_again(services: Services, engine: Engine) -> None:
    first = services.identities.ensure_identities(WS, ["U1", "U2"])
    with identity_queries(engine) as queries:
        again = services.identities.ensure_identities(WS, ["U2", "U1"])
    assert again == {"U2": first["U2"], "U1": first["U1"]}
    assert queries == []


def test_only_the_people_not_yet_known_are_looked_up(services: Services, engine: Engine) -> None:
    services.identities.ensure_identities(WS, ["U1"])
    with identity_queries(engine) as queries:
        services.identities.ensure_identities(WS, ["U1", "U3"])
    asked = [str(params) for sql, params in queries if sql.lstrip().startswith("SELECT")]
    assert asked
    assert all("'U3'" in one and "'U1'" not in one for one in asked)


def test_an_identity_known_in_one_workspace_is_not_used_in_another(
    services: Services, emulator: RunningEmulator
) -> None:
    mine = services.identities.ensure_identities(WS, ["U1"])["U1"]
    before = emulator.identities()
    theirs = services.identities.ensure_identities(Workspace("", "T2"), ["U1"])["U1"]
    grid = services.identities.ensure_identities(Workspace("E1", "T1"), ["U1"])["U1"]
    assert len({mine, theirs, grid}) == 3
    assert emulator.identities() - before == {theirs, grid}


def test_an_identity_stored_by_another_process_is_found_in_the_store(
    services: Services, engine: Engine, emulator: RunningEmulator
) -> None:
    other = make_services(engine, emulator)  # another process: its own memory, same store
    try:
        stored = other.identities.ensure_identities(WS, ["U5"])["U5"]
    finally:
        other.close()
    before = emulator.identities()
    assert services.identities.ensure_identities(WS, ["U5"]) == {"U5": stored}
    assert emulator.identities() == before


def test_the_identities_kept_in_memory_are_capped_oldest_first() -> None:
    known = KnownIdentities(limit=2)
    known.add(WS, {"U1": "8:acs:1", "U2": "8:acs:2"})
    known.add(WS, {"U3": "8:acs:3"})
    assert known.get(WS, ["U1", "U2", "U3"]) == {"U2": "8:acs:2", "U3": "8:acs:3"}


def test_the_identities_kept_in_memory_are_kept_per_workspace() -> None:
    known = KnownIdentities(limit=10)
    known.add(WS, {"U1": "8:acs:1"})
    assert known.get(Workspace("", "T2"), ["U1"]) == {}
    assert known.get(Workspace("E1", "T1"), ["U1"]) == {}
    assert known.get(WS, ["U1"]) == {"U1": "8:acs:1"}
