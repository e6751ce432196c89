"""1,000 mixed `/room` commands against an ACS that fails 20 % and throttles 10 % of requests:
each ends in success or a clear message, none takes more than ~10 s, and afterwards ACS and
the store hold exactly the same rooms, windows, PSTN flags and rosters.

ROOMBOT_FAULT_COMMANDS sets the number of commands (default 1,000).
"""

from __future__ import annotations

import faulthandler
import os
import random
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import datetime

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.app import console_session
from bot.config import Settings
from slack_standin import RunningStandin, demo_workspace, start_slack_standin
from storage import rooms as repo
from storage.models import CREATING, RoomRow
from tests.bot.hardening.workload import Group, Outcome, add_group, is_clear, play_one
from tests.support.slack_stack import Stack, make_services

COMMANDS = int(os.environ.get("ROOMBOT_FAULT_COMMANDS", "1000"))
GROUPS = 16  # side by side: injected 429s carry Retry-After: 1 s, mostly spent waiting
SEED = 20_251_122
PER_COMMAND_LIMIT_S = 10.0
WATCHDOG_S = 300.0  # the whole run; far beyond its normal length, short of a CI job's limit

Rosters = dict[str, tuple[datetime, datetime, bool, dict[str, str]]]


@pytest.fixture
def faulty_acs() -> Iterator[RunningEmulator]:
    config = EmulatorConfig(latency_ms=10, error_rate=0.2, throttle_rate=0.1, seed=SEED)
    with start_emulator(config) as running:
        yield running


@pytest.fixture
def crowd() -> Iterator[RunningStandin]:
    workspace = demo_workspace()
    for index in range(GROUPS):
        add_group(workspace, index)
    with start_slack_standin(workspace) as running:
        yield running


@pytest.fixture
def groups(
    engine: Engine, faulty_acs: RunningEmulator, crowd: RunningStandin
) -> Iterator[list[Group]]:
    services = make_services(engine, faulty_acs)
    settings = Settings(_env_file=None, slack_signing_secret=SecretStr("s"))  # type: ignore[call-arg]
    made = []
    for index in range(GROUPS):
        session = console_session(services, crowd, settings, f"own{index}", f"g{index}")
        made.append(
            Group(index, Stack(session, crowd, services, faulty_acs), random.Random(SEED + index))
        )
    try:
        yield made
    finally:
        for group in made:
            group.stack.session.executor.shutdown(wait=True)
        services.close()


def play(group: Group, count: int) -> list[Outcome]:
    return [play_one(group, step) for step in range(count)]


def play_everything(groups: list[Group]) -> list[Outcome]:
    """All groups side by side, under a watchdog that shows every thread's stack on a hang."""
    shares = [COMMANDS // GROUPS + (1 if i < COMMANDS % GROUPS else 0) for i in range(GROUPS)]
    with ThreadPoolExecutor(GROUPS, thread_name_prefix="group") as pool:
        futures = [
            pool.submit(play, group, share) for group, share in zip(groups, shares, strict=True)
        ]
        _done, pending = wait(futures, timeout=WATCHDOG_S)
        if pending:
            faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
            pytest.fail(f"{len(pending)} groups still running after {WATCHDOG_S:g} s: a hang")
    return [outcome for future in futures for outcome in future.result()]


def store_rooms(engine: Engine, team_id: str) -> Rosters:
    with Session(engine) as session:
        rows = repo.list_rooms(session, enterprise_id="", team_id=team_id, limit=100_000)
        members = repo.members_of(session, room_ids=[r.id for r in rows if r.id])
    return {
        row.acs_room_id or "": (
            row.valid_from,
            row.valid_until,
            row.pstn_dial_out_enabled,
            {m.acs_user_id: m.role for m in members[row.id or 0]},
        )
        for row in rows
    }


def acs_rooms(emulator: RunningEmulator) -> Rosters:
    return {
        room.id: (room.valid_from, room.valid_until, room.pstn_dial_out_enabled, room.participants)
        for room in emulator.snapshot().values()
    }


def reservations_left(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).where(col(RoomRow.state) == CREATING)).one()


def test_every_command_ends_clearly_in_time_and_acs_matches_the_store_at_the_end(
    engine: Engine, faulty_acs: RunningEmulator, crowd: RunningStandin, groups: list[Group]
) -> None:
    outcomes = play_everything(groups)

    assert len(outcomes) == COMMANDS
    unanswered = [o for o in outcomes if not o.said]
    unclear = [o for o in outcomes if any(not is_clear(text) for text in o.said)]
    slow = [o for o in outcomes if o.seconds > PER_COMMAND_LIMIT_S]
    assert not unanswered, f"{len(unanswered)} commands got no answer, e.g. {unanswered[:3]}"
    assert not unclear, f"{len(unclear)} commands got an unclear answer, e.g. {unclear[:3]}"
    assert not slow, f"{len(slow)} commands took over {PER_COMMAND_LIMIT_S} s, e.g. {slow[:3]}"
    store, acs = store_rooms(engine, crowd.workspace.team_id), acs_rooms(faulty_acs)
    assert set(store) == set(acs), "rooms differ between the store and ACS"
    drifted = {room: (store[room], acs[room]) for room in store if store[room] != acs[room]}
    assert not drifted, f"{len(drifted)} rooms differ, e.g. {list(drifted.items())[:2]}"
    assert reservations_left(engine) == 0
