"""The use cases, built on a store and the ACS ports they are given, and told to each other:
every attempt reaches the audit trail and the reminder planner. The composition root
(`bot/app.py`) decides which store and ports."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.services.audit.trail import AuditTrail
from bot.services.calls.attendance import Attendance
from bot.services.calls.intake import CallIntake
from bot.services.calls.sync import CallSync
from bot.services.container import Services
from bot.services.event_ledger import EventLedger
from bot.services.identities import IdentityService
from bot.services.join_links import JoinLinks
from bot.services.join_passes import JoinPasses
from bot.services.joining import JoinService
from bot.services.reconcile.reconciler import Reconciler
from bot.services.reminders.delivery import ReminderService
from bot.services.reminders.planner import ReminderPlanner
from bot.services.room_changes import RoomChanges
from bot.services.rooms import RoomService
from bot.services.uow import defer_schema
from storage.errors import StorageUnavailable
from storage.migrate import ensure_schema

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import Engine

    from bot.services.clock import Clock
    from bot.services.ports import IdentityGateway, RoomsGateway

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rules:
    """The operator's choices the use cases follow (from ROOMBOT_* settings)."""

    admins: frozenset[str]
    default_timezone: ZoneInfo
    reminder_leads: tuple[timedelta, ...]
    audit_retention_days: int | None  # None: kept for ever
    join_links: JoinLinks = field(default_factory=JoinLinks)
    pass_secret: str | None = field(default=None, repr=False)  # ROOMBOT_SESSION_SECRET


def assemble_services(
    *,
    engine: Engine,
    rooms: RoomsGateway,
    identity: IdentityGateway,
    rules: Rules,
    clock: Clock,
    database_may_wait: bool,
) -> Services:
    """Migrate the store if needed; nothing calls ACS yet. With `database_may_wait`, a
    database down at start does not stop it: the first unit of work prepares the schema."""
    _prepare_schema(engine, database_may_wait=database_may_wait)
    identities = IdentityService(engine=engine, gateway=identity, clock=clock)
    closers: list[Callable[[], None]] = [engine.dispose, identities.close]
    services = Services(
        rooms=RoomService(engine=engine, rooms=rooms, identities=identities, clock=clock),
        changes=RoomChanges(engine=engine, rooms=rooms, identities=identities, clock=clock),
        identities=identities,
        clock=clock,
        admins=rules.admins,
        default_timezone=rules.default_timezone,
        closers=closers,
        events=EventLedger(engine=engine, clock=clock),
        join_links=rules.join_links,
        joining=JoinService(engine=engine, identity=identity, clock=clock),
    )
    if rules.pass_secret is not None and services.events is not None:
        services.join_passes = JoinPasses(rules.pass_secret, services.events, clock)
    _add_reminders(services, engine, rooms, rules)
    _add_audit(services, engine, rules)
    services.call_intake = CallIntake(engine=engine, clock=clock, audit=services.audit)
    services.call_sync = CallSync(engine=engine, clock=clock)
    if services.audit is not None:
        services.attendance = Attendance(engine=engine, audit=services.audit)
    # Repairs are told on the changes' log, so the audit trail and reminders hear them too.
    changes = services.changes.attempts
    services.reconcile = Reconciler(engine=engine, rooms=rooms, clock=clock, attempts=changes)
    return services


def _prepare_schema(engine: Engine, *, database_may_wait: bool) -> None:
    try:
        ensure_schema(engine)
    except StorageUnavailable as exc:
        if not database_may_wait:
            raise
        # The driver's text names host and port, never the password; one line for the log.
        log.warning("database unavailable at start, serving anyway: %s", " ".join(str(exc).split()))
        defer_schema(engine, ensure_schema)


def _add_reminders(services: Services, engine: Engine, rooms: RoomsGateway, rules: Rules) -> None:
    """Reminders follow every room change; a room the reminder loop finds gone from ACS is
    told as a deletion on the changes' log, so its observers (reminders, audit) hear it too."""
    services.reminders = ReminderService(
        engine=engine, rooms=rooms, clock=services.clock, attempts=services.changes.attempts
    )
    planner = ReminderPlanner(engine=engine, leads=rules.reminder_leads)
    planner.attach(services.rooms.attempts, services.changes.attempts)


def _add_audit(services: Services, engine: Engine, rules: Rules) -> None:
    """Every attempt the use cases tell becomes one audit record."""
    services.audit = AuditTrail(
        engine=engine, clock=services.clock, retention_days=rules.audit_retention_days
    )
    for attempts in (
        services.rooms.attempts,
        services.changes.attempts,
        services.identities.attempts,
    ):
        attempts.writers.append(services.audit)
