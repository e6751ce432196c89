"""The reconcile loop goes on through outages, and tells them in one line."""

from __future__ import annotations

import logging
import threading

import pytest

from bot.background.reconcile_loop import ReconcileLoop
from bot.services.errors import StoreUnavailable


class OneRound:
    """A schedule whose first round fails with `error`; the loop stops after it."""

    def __init__(self, error: Exception, stop: threading.Event) -> None:
        self.error, self.stop, self.rounds = error, stop, 0

    def run_if_due(self) -> None:
        self.rounds += 1
        self.stop.set()
        raise self.error


def run_one_round(error: Exception) -> OneRound:
    stop = threading.Event()
    schedule = OneRound(error, stop)
    ReconcileLoop(schedule, poll_seconds=0).run_forever(stop)  # type: ignore[arg-type]
    return schedule


def test_an_outage_is_one_warning_line_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.background.reconcile_loop")
    run_one_round(StoreUnavailable("The database is down\nfor now."))
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage() == "reconcile round not done: The database is down for now."
    assert record.exc_info is None


def test_a_bug_keeps_its_traceback_for_the_operator(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.background.reconcile_loop")
    schedule = run_one_round(KeyError("oops"))
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert schedule.rounds == 1
