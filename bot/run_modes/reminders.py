"""`roombot reminders`: only the reminder loop (and reconciliation beside it), until SIGTERM
or Ctrl-C. Several may run against one PostgreSQL database: each reminder is posted once."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.app import assemble
from bot.run_modes.db import database_outages
from bot.run_modes.process import Options, ProcessKind, stop_on_signals

if TYPE_CHECKING:
    from bot.config import Settings


def run(settings: Settings, *, batch: int, lease_seconds: float) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    stop = stop_on_signals()
    options = Options(batch=batch, lease_seconds=lease_seconds)
    # Down at start: stop with one line. Once running, the loop rides out outages itself.
    with database_outages(settings):
        process = assemble(settings, ProcessKind.REMINDERS, options)
    try:
        loop = process.reminders
        assert loop is not None  # what a reminders process is
        print(f"reminder loop {loop.owner_id}: every {loop.poll_seconds:g} s", flush=True)
        loop.run_forever(stop)
    finally:
        process.close()
    return 0
