"""The composition root: the one place that wires settings, storage, ACS and Slack together."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.adapters.acs import make_acs_gateways
from bot.config import Settings
from bot.services.attempts import Action
from bot.services.audit.trail import AuditTrail
from bot.services.clock import Clock, utc_now
from bot.services.container import Services
from bot.services.domain import Workspace
from bot.services.errors import RoomBotError
from bot.services.event_ledger import EventLedger
from bot.services.identities import IdentityService
from bot.services.ports import IdentityGateway, RoomsGateway
from bot.services.reconcile.reconciler import Reconciler
from bot.services.reminders.delivery import ReminderService
from bot.services.reminders.planner import ReminderPlanner
from bot.services.room_changes import RoomChanges
from bot.services.rooms import RoomService
from bot.services.uow import defer_schema
from storage.engine import make_engine
from storage.errors import StorageUnavailable
from storage.migrate import ensure_schema

if TYPE_CHECKING:
    from bot.listeners.after_ack import AfterAck

log = logging.getLogger(__name__)

# Listeners spend most of their time waiting on ACS and Slack; many threads keep one slow
# room creation from holding up everybody else's clicks.
LISTENER_THREADS = 64


def build_services(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    engine: Engine | None = None,
    gateways: tuple[RoomsGateway, IdentityGateway] | None = None,
    database_may_wait: bool = False,
) -> Services:
    """Open the store (migrating it if needed) and the ACS gateways; nothing calls ACS yet.

    With `database_may_wait`, a database that is down at start does not stop it: the schema
    is made ready by the first unit of work that reaches the database (see `defer_schema`)."""
    engine = engine or make_engine(settings.effective_database_url)
    _prepare_schema(engine, database_may_wait=database_may_wait)
    closers: list[Callable[[], None]] = [engine.dispose]
    rooms_gateway, identity_gateway = gateways or acs_gateways(settings, closers)
    identities = IdentityService(engine=engine, gateway=identity_gateway, clock=clock)
    closers.append(identities.close)
    services = Services(
        rooms=RoomService(engine=engine, rooms=rooms_gateway, identities=identities, clock=clock),
        changes=RoomChanges(engine=engine, rooms=rooms_gateway, identities=identities, clock=clock),
        identities=identities,
        clock=clock,
        admins=settings.roombot_admins,
        default_timezone=settings.roombot_timezone,
        closers=closers,
        events=EventLedger(engine=engine, clock=clock),
    )
    _add_reminders(services, settings, engine, rooms_gateway)
    _add_audit(services, settings, engine)
    # Repairs are told on the changes' log, so the audit trail and reminders hear them too.
    services.reconcile = Reconciler(
        engine=engine, rooms=rooms_gateway, clock=clock, attempts=services.changes.attempts
    )
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


def _add_reminders(
    services: Services, settings: Settings, engine: Engine, rooms_gateway: RoomsGateway
) -> None:
    """Reminders follow every room change; a room the worker finds gone from ACS is told
    as a deletion on the changes' log, so its observers (reminders, audit) hear it too."""
    services.reminders = ReminderService(
        engine=engine, rooms=rooms_gateway, clock=services.clock, attempts=services.changes.attempts
    )
    planner = ReminderPlanner(engine=engine, leads=settings.roombot_reminders)
    planner.attach(services.rooms.attempts, services.changes.attempts)


def _add_audit(services: Services, settings: Settings, engine: Engine) -> None:
    """Every attempt the use cases tell becomes one audit record."""
    services.audit = AuditTrail(
        engine=engine, clock=services.clock, retention_days=settings.roombot_audit_retention_days
    )
    for attempts in (
        services.rooms.attempts,
        services.changes.attempts,
        services.identities.attempts,
    ):
        attempts.observers.append(services.audit.observe)


def acs_gateways(
    settings: Settings, closers: list[Callable[[], None]]
) -> tuple[RoomsGateway, IdentityGateway]:
    if settings.uses_local_acs:
        from acs_emulator import EmulatorConfig, start_emulator

        emulator = start_emulator(EmulatorConfig(data_dir=settings.roombot_data_dir / "acs"))
        closers.append(emulator.stop)
        gateways = make_acs_gateways(connection_string=emulator.connection_string)
    else:
        secret = settings.acs_connection_string
        gateways = make_acs_gateways(
            connection_string=secret.get_secret_value() if secret else None,
            endpoint=None if secret else settings.acs_endpoint,
        )
    closers.extend(gateway.close for gateway in gateways)
    return gateways


def create_app(
    settings: Settings,
    services: Services,
    *,
    client: WebClient | None = None,
    process_before_response: bool = True,
    executor: Executor | None = None,
    engine: Engine | None = None,
    after_ack: AfterAck | None = None,
) -> App:
    """The Bolt app with every listener registered. Acks return as soon as the tiny ack
    listener does (process_before_response); the slow work runs after it where `after_ack`
    says, by default on `executor` (see bot/listeners/after_ack.py).

    Single-workspace with SLACK_BOT_TOKEN; multi-workspace (OAuth install, tokens per workspace
    kept in `engine`'s database) when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set."""
    from bot.listeners import register_listeners
    from bot.listeners.after_ack import InThreads
    from bot.listeners.request_log import LoggedApp
    from bot.oauth import app_client, retry_rate_limits
    from bot.slack_posts.audit_channel import attach_audit_channel

    client = client or app_client(settings)
    retry_rate_limits(client)
    executor = executor or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener")
    app = LoggedApp(
        client=client,
        signing_secret=_secret(settings.slack_signing_secret) or "",
        token_verification_enabled=False,
        process_before_response=process_before_response,
        listener_executor=executor,
        **_installations(settings, services, engine),
    )
    register_listeners(app, services, after_ack or InThreads(executor))
    attach_audit_channel(app, settings.roombot_audit_channel, services)
    return app


def _installations(settings: Settings, services: Services, engine: Engine | None) -> dict[str, Any]:
    if not settings.oauth_enabled:
        return {}
    from bot.oauth import bolt_installation_kwargs

    if engine is None:
        engine = make_engine(settings.effective_database_url)
        services.closers.append(engine.dispose)
    return bolt_installation_kwargs(settings, engine, _installation_recorder(services))


def _installation_recorder(services: Services) -> Callable[[Workspace], None] | None:
    """First installs go to the audit trail; a store hiccup there must not fail the install."""
    audit = services.audit
    if audit is None:
        return None

    def record(workspace: Workspace) -> None:
        try:
            audit.record(workspace, action=Action.INSTALLATION_ADDED)
        except RoomBotError as problem:
            log.warning("install of %s not audited: %s", workspace.team_id, problem.message)

    return record


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return getter() if getter else None
