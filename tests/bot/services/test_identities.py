"""Each Slack user gets exactly one ACS identity per workspace, however requests race."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from acs_emulator import RunningEmulator
from bot.services.container import Services
from bot.services.domain import Workspace

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
