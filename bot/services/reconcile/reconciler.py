"""Reconciliation: compare the store with ACS, report the drift, repair it.

One run lists ACS's rooms once (the resource is shared by every workspace), then checks each
workspace in scope: its live rooms against ACS (`reconcile_stored`), and ACS rooms RoomBot
made but does not hold as live (`reconcile_unstored`). Each finding carries one repair; a dry
run returns the findings untouched. Repairs are told as `room.reconciled` attempts, so the
audit trail records each one and reminders follow the rooms they change.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.services.attempts import AttemptLog
from bot.services.clock import Clock, utc_now
from bot.services.domain import Workspace
from bot.services.reconcile.findings import Finding, Report, Result, Unchecked
from bot.services.reconcile.repair import Repairs
from bot.services.reconcile.stored import StoredRooms
from bot.services.reconcile.unstored import UnstoredRooms
from bot.services.uow import unit_of_work
from storage import reconcile as repo

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.services.ports import RoomsGateway

# A room created (or reserved) this recently may still be on its way into the store.
DEFAULT_GRACE = timedelta(minutes=15)


class Reconciler:
    def __init__(
        self,
        *,
        engine: Engine,
        rooms: RoomsGateway,
        clock: Clock = utc_now,
        attempts: AttemptLog | None = None,
        grace: timedelta = DEFAULT_GRACE,
    ) -> None:
        self.attempts = attempts or AttemptLog()
        self.engine, self._rooms, self._clock = engine, rooms, clock
        self._stored = StoredRooms(engine=engine, rooms=rooms)
        self._unstored = UnstoredRooms(engine=engine, rooms=rooms, grace=grace)
        self._repairs = Repairs(
            engine=engine,
            rooms=rooms,
            clock=clock,
            attempts=self.attempts,
            roster_now=self._stored.roster,
        )

    def workspaces(self, team_id: str | None = None) -> list[Workspace]:
        """Every workspace the store knows (rooms or identities), or those of `team_id`."""
        with unit_of_work(self.engine) as session:
            found = repo.list_workspaces(session, team_id=team_id)
        return [Workspace(enterprise, team) for enterprise, team in found]

    def run(self, *, team_id: str | None = None, dry_run: bool = False) -> Report:
        """Reconcile every workspace, or only `team_id`'s. Raises the domain error that
        stops the whole run (ACS or the store unreachable); a single failed repair does not."""
        findings, unchecked = self.findings(self.workspaces(team_id))
        if dry_run:
            results = tuple(Result(f, None) for f in findings)
        else:
            results = tuple(self._repairs.apply(f) for f in findings)
        return Report(results, tuple(unchecked), dry_run=dry_run)

    def findings(self, scope: list[Workspace]) -> tuple[list[Finding], list[Unchecked]]:
        listed = {room.id: room for room in self._rooms.list_rooms()}
        now = self._clock()
        findings: list[Finding] = []
        unchecked: list[Unchecked] = []
        for workspace in scope:
            found, skipped = self._stored.check(workspace, listed, now)
            findings += found
            unchecked += skipped
        found, skipped = self._unstored.check(scope, listed, now)
        return findings + found, unchecked + skipped
