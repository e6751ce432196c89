"""What `roombot serve` and `roombot socket` run: the app of `bot.app`, its listener pool,
its worker processes and the reminder and reconcile workers, built and closed together."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import SecretStr
from slack_bolt import App
from sqlalchemy import Engine

from bot.app import LISTENER_THREADS, acs_gateways, build_services, create_app
from bot.config import Settings
from bot.services.container import Services
from bot.services.health import Check, HealthCheck
from bot.services.ports import IdentityGateway, RoomsGateway
from storage.engine import make_engine

if TYPE_CHECKING:
    from bot.background.work_processes import WorkProcesses

log = logging.getLogger(__name__)

WORKERS_READY_SECONDS = 60.0


@dataclass
class Runtime:
    """What `roombot serve` and `roombot socket` run."""

    app: App
    services: Services
    health: HealthCheck
    executor: ThreadPoolExecutor
    work: WorkProcesses | None = None

    def close(self) -> None:
        """Let listener work in flight (the work after acks too) finish, then release everything."""
        if self.work is not None:
            self.work.close()
        self.executor.shutdown(wait=True)
        self.health.close()
        self.services.close()


def build_runtime(
    settings: Settings, *, gateways: tuple[RoomsGateway, IdentityGateway] | None = None
) -> Runtime:
    """Store, ACS gateways, services and the Bolt app, sharing one database engine; the work
    after acks runs in `ROOMBOT_WORK_PROCESSES` worker processes (unless `gateways` are
    given: they live in this process only)."""
    engine = make_engine(settings.effective_database_url)
    closers: list[Callable[[], None]] = []
    in_this_process_only = gateways is not None
    if gateways is None:
        settings = _shared_local_acs(settings, closers)
        gateways = acs_gateways(settings, closers)
    # Started first, so the workers build their apps while this process builds its own.
    work = None if in_this_process_only else _work_processes(settings)
    try:
        return _runtime(settings, engine, gateways, closers, work)
    except BaseException:
        if work is not None:
            work.close()
        raise


def _runtime(
    settings: Settings,
    engine: Engine,
    gateways: tuple[RoomsGateway, IdentityGateway],
    closers: list[Callable[[], None]],
    work: WorkProcesses | None,
) -> Runtime:
    # A database that is down now must not keep Slack from hearing why: /healthz fails and
    # every request is told the database is unavailable until it is back.
    services = build_services(settings, engine=engine, gateways=gateways, database_may_wait=True)
    services.closers.extend(closers)
    executor = ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener")
    app = create_app(settings, services, executor=executor, engine=engine, after_ack=work)
    _start_reminders(settings, services, app)
    health = HealthCheck(engine=engine, rooms=gateways[0], work=_work_check(work))
    # Serve once the workers can take work: they start as slowly as this process does.
    if work is not None and not work.wait_ready(WORKERS_READY_SECONDS):
        log.warning("work processes not ready after %.0f s; serving anyway", WORKERS_READY_SECONDS)
    return Runtime(app=app, services=services, health=health, executor=executor, work=work)


def _shared_local_acs(settings: Settings, closers: list[Callable[[], None]]) -> Settings:
    """The embedded emulator runs here; worker processes reach it by its connection string."""
    if not settings.uses_local_acs:
        return settings
    from acs_emulator import EmulatorConfig, start_emulator

    emulator = start_emulator(EmulatorConfig(data_dir=settings.roombot_data_dir / "acs"))
    closers.append(emulator.stop)
    shared = SecretStr(emulator.connection_string)
    return settings.model_copy(update={"acs_connection_string": shared})


def _work_processes(settings: Settings) -> WorkProcesses | None:
    if settings.roombot_work_processes == 0:
        return None
    from bot.background.work_processes import WorkProcesses

    return WorkProcesses(settings, count=settings.roombot_work_processes)


def _work_check(work: WorkProcesses | None) -> Callable[[], Check] | None:
    if work is None:
        return None
    return lambda: Check(*work.health())


def _start_reminders(settings: Settings, services: Services, app: App) -> None:
    """`serve` and `socket` post due reminders too; the worker stops first when they close."""
    if services.reminders is None:
        return
    from bot.background.reminder_loop import start_reminder_worker
    from bot.oauth import workspace_clients

    start_reminder_worker(services, workspace_clients(app, settings), settings)
