"""`roombot reconcile`: compare the store with ACS once and repair the drift.

Exit status: 0 when every room was checked and every repair done (or, in a dry run, listed);
1 when a repair failed; 3 when no repair failed but some rooms could not be checked (ACS did
not answer for them: run it again). A run that cannot be done at all (ACS or the database
unreachable, ACS refusing the key) raises a domain error: one line and 2, from `roombot`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TextIO

from bot.app import assemble
from bot.run_modes.db import database_outages
from bot.run_modes.process import ProcessKind

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.services.reconcile.findings import Report

ALL_DONE: Final = 0
REPAIR_FAILED: Final = 1
NOT_ALL_CHECKED: Final = 3  # 2 is `roombot`'s "could not run at all"


def run(settings: Settings, *, team_id: str | None, dry_run: bool, out: TextIO) -> int:
    """One line per finding and per room not checked, then a summary; the exit status."""
    with database_outages(settings):  # the schema is checked as the process is assembled
        process = assemble(settings, ProcessKind.RECONCILE)
    try:
        reconciler = process.services.reconcile
        assert reconciler is not None  # every assembly adds it
        report = reconciler.run(team_id=team_id, dry_run=dry_run)
    finally:
        process.close()
    for line in report.lines():
        print(line, file=out)
    print(report.summary(), file=out)
    return exit_status(report)


def exit_status(report: Report) -> int:
    """A failed repair outranks rooms left unchecked: it needs a person, they need a rerun."""
    if report.failed:
        return REPAIR_FAILED
    if report.unchecked:
        return NOT_ALL_CHECKED
    return ALL_DONE
