"""What reconciliation found and did: drift between the store and ACS, one repair each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.services.attempts import Outcome

if TYPE_CHECKING:
    from collections.abc import Mapping

    from bot.services.domain import AcsRoom, Member, Role, RoomDetails, Workspace


class Drift(StrEnum):
    GONE_FROM_ACS = "gone_from_acs"  # a live stored room ACS no longer has (404)
    WINDOW_DIFFERS = "window_differs"  # ACS holds another window or PSTN flag
    ROSTER_DIFFERS = "roster_differs"  # ACS participants differ from the stored roster
    UNRECORDED_ROOM = "unrecorded_room"  # an ACS room RoomBot made but never recorded
    DELETED_STILL_IN_ACS = "deleted_still_in_acs"  # deleted in the store, alive in ACS
    STALE_RESERVATION = "stale_reservation"  # a reservation whose create never finished


class Repair(StrEnum):
    MARK_DELETED = "mark it deleted in the store"
    TAKE_ACS_WINDOW = "take the ACS window into the store"
    PUSH_ROSTER = "push the stored roster to ACS"
    ADOPT = "adopt it into the store"
    DELETE_IN_ACS = "delete it from ACS"
    DISCARD_RESERVATION = "discard the reservation"


@dataclass(frozen=True)
class Finding:
    """One drift and the repair that removes it; carries what the repair needs."""

    workspace: Workspace
    drift: Drift
    repair: Repair
    what: str  # one sentence: what differs
    acs_room_id: str | None = None
    room: RoomDetails | None = None  # the stored room (or reservation) as stored now
    acs: AcsRoom | None = None  # the room as ACS holds it
    upsert: Mapping[str, Role] = field(default_factory=dict)  # acs id -> role to set in ACS
    remove: tuple[str, ...] = ()  # acs ids to take out of ACS
    members: tuple[Member, ...] = ()  # the roster an adopted room gets
    people: str = ""  # Slack users the repair touches, for the audit trail's people filter

    @property
    def room_number(self) -> int | None:
        return self.room.number if self.room else None

    def detail(self) -> dict[str, str]:
        facts = {"drift": self.drift.value, "repair": self.repair.value, "found": self.what}
        if self.acs_room_id:
            facts["acs_room"] = self.acs_room_id
        if self.people:
            facts["people"] = self.people[:2000]
        return facts

    def line(self) -> str:
        where = self.workspace.team_id
        if self.workspace.enterprise_id:
            where = f"{self.workspace.enterprise_id}/{where}"
        room = f" #{self.room_number}" if self.room_number is not None else ""
        acs = f" (ACS {self.acs_room_id})" if self.acs_room_id else ""
        return f"{where}{room}{acs}: {self.what}; {self.repair.value}"


@dataclass(frozen=True)
class Result:
    finding: Finding
    outcome: Outcome | None  # None: a dry run, nothing was done
    error: str | None = None

    def line(self) -> str:
        if self.outcome is None:
            status = "would do"
        elif self.outcome is Outcome.OK:
            status = "done"
        else:
            status = f"FAILED: {self.error}"
        return f"{self.finding.line()} [{status}]"


@dataclass(frozen=True)
class Unchecked:
    """A room ACS could not be asked about this time; the next run tries again."""

    subject: str  # "T012 #3", "ACS room 123"
    error: str

    def line(self) -> str:
        return f"{self.subject}: not checked: {self.error}"


@dataclass(frozen=True)
class Report:
    results: tuple[Result, ...]
    unchecked: tuple[Unchecked, ...] = ()
    dry_run: bool = False

    @property
    def failed(self) -> tuple[Result, ...]:
        return tuple(r for r in self.results if r.outcome is Outcome.FAILED)

    def lines(self) -> list[str]:
        return [r.line() for r in self.results] + [u.line() for u in self.unchecked]

    def summary(self) -> str:
        found = f"{len(self.results)} finding{'' if len(self.results) == 1 else 's'}"
        if self.dry_run:
            text = f"dry run: {found}, nothing changed"
        else:
            repaired = len(self.results) - len(self.failed)
            text = f"{found}, {repaired} repaired, {len(self.failed)} failed"
        if not self.unchecked:
            return text
        rooms = f"{len(self.unchecked)} room{'' if len(self.unchecked) == 1 else 's'}"
        return f"{text}; incomplete: {rooms} not checked, run again"


# ACS reports times with 7 fractional digits; anything closer than this is the same moment.
SAME_MOMENT = timedelta(seconds=1)


def same_moment(a: datetime, b: datetime) -> bool:
    return abs(a - b) < SAME_MOMENT
