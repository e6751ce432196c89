"""Everything the Slack edge may call, handed to listeners by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.services.join_links import JoinLinks

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.services.audit.trail import AuditTrail
    from bot.services.calls.attendance import Attendance
    from bot.services.calls.intake import CallIntake
    from bot.services.calls.sync import CallSync
    from bot.services.clock import Clock
    from bot.services.event_ledger import EventLedger
    from bot.services.identities import IdentityService
    from bot.services.join_passes import JoinPasses
    from bot.services.joining import JoinService
    from bot.services.reconcile.reconciler import Reconciler
    from bot.services.reminders.delivery import ReminderService
    from bot.services.room_changes import RoomChanges
    from bot.services.rooms import RoomService


@dataclass
class Services:
    rooms: RoomService
    changes: RoomChanges
    identities: IdentityService
    clock: Clock
    admins: frozenset[str] = frozenset()  # ROOMBOT_ADMINS, on top of workspace admins/owners
    default_timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    closers: list[Callable[[], None]] = field(default_factory=list)
    join_links: JoinLinks = field(default_factory=JoinLinks)  # none: cards offer no Join
    events: EventLedger | None = None  # None: every event delivery is taken as the first
    reminders: ReminderService | None = None  # what the reminder loop uses
    audit: AuditTrail | None = None  # None: nothing is recorded, /room audit says so
    joining: JoinService | None = None  # the join page's checks and tokens
    join_passes: JoinPasses | None = None  # personal join links (needs a session secret)
    reconcile: Reconciler | None = (
        None  # store-versus-ACS drift repair (the reconcile loop, the CLI)
    )
    call_intake: CallIntake | None = None  # ACS calling events (the Event Grid webhook)
    call_sync: CallSync | None = None  # what the live-call loop claims and records
    attendance: Attendance | None = None  # who was in which call, for admins' export
    # Told when calling events were taken in: this process's live-call loop looks at once.
    wake_live_calls: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for close in reversed(self.closers):
            close()
        self.closers.clear()
