"""Fixtures for failure handling: a fault-free ACS emulator, and a database that a test can
make unreachable and bring back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import make_url

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from tests.support.db_proxy import db_proxy


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=5)) as running:
        yield running


@dataclass
class Outage:
    url: str
    cut: Callable[[], None]
    restore: Callable[[], None]


@pytest.fixture
def outage(empty_database_url: str) -> Iterator[Outage]:
    """An empty database (no tables yet) that the test can make unreachable and bring back."""
    if make_url(empty_database_url).get_backend_name() != "postgresql":
        file = Path(make_url(empty_database_url).database or "")
        yield Outage(empty_database_url, lambda: file.mkdir(parents=True), lambda: file.rmdir())
        return
    with db_proxy(empty_database_url) as proxy:
        yield Outage(proxy.url_for(empty_database_url), proxy.cut, proxy.restore)
