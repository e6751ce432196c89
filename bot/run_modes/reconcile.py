"""`roombot reconcile`: compare the store with ACS once and repair the drift."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from bot.app import assemble
from bot.run_modes.process import ProcessKind

if TYPE_CHECKING:
    from bot.config import Settings


def run(settings: Settings, *, team_id: str | None, dry_run: bool, out: TextIO) -> int:
    """One line per finding, then a summary. 0 when every repair was done (or a dry run),
    1 when some failed; errors that stop the run are raised."""
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
    return 1 if report.failed else 0
