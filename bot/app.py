"""The composition root: the one place that wires settings, storage, ACS and Slack together.

`assemble(settings, kind)` builds every process: `serve` and `socket` (SERVING), each of their
work processes (WORK), `roombot reminders`, `roombot reconcile` and `roombot console`. Nothing
below this module imports it; the run modes (`bot/run_modes/`) call it.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from pydantic import SecretStr
from slack_bolt.lazy_listener import ThreadLazyListenerRunner
from slack_sdk import WebClient

from acs_emulator import EmulatorConfig, start_emulator
from bot.adapters.acs import make_acs_gateways
from bot.background.job_runner import DurableLazyRunner
from bot.background.job_worker import JobWorker
from bot.background.live_call_loop import start_live_call_loop
from bot.background.reconcile_loop import start_reconcile_loop
from bot.background.reminder_loop import ReminderLoop, default_owner_id, start_reminder_loop
from bot.background.work_processes import WorkProcesses
from bot.console.manifest import play_manifest
from bot.console.session import ConsoleSession
from bot.console.verbs import VERBS
from bot.listeners import (
    actions,
    audit,
    commands,
    dedupe,
    errors,
    functions,
    home,
    lifecycle,
    shortcuts,
    unfurls,
    views,
)
from bot.listeners.directory import UserDirectory
from bot.listeners.request_log import LoggedApp
from bot.oauth import (
    app_client,
    audit_installs,
    bolt_installation_kwargs,
    retry_rate_limits,
    workspace_clients,
)
from bot.run_modes.http_server import HttpServer
from bot.run_modes.process import Options, Process, ProcessKind, configure_logging
from bot.services.assembly import Rules, assemble_services
from bot.services.clock import Clock, utc_now
from bot.services.health import Check, HealthCheck
from bot.services.job_queue import JobQueue
from bot.services.join_links import JoinLinks
from bot.services.ports import IdentityGateway, RoomsGateway
from bot.slack_posts.audit_channel import attach_audit_channel
from bot.web.assembly import acs_events_web, console_routes, join_web
from bot.web.events_hook import EVENTS_PATH
from bot.web.signin import CALLBACK_PATH
from bot.web.workspaces import installed_check
from slack_standin.bolt_sender import IdleExecutor, LocalSlack
from storage.engine import is_sqlite, make_engine

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.lazy_listener import LazyListenerRunner
    from sqlalchemy import Engine

    from bot.config import Settings
    from bot.services.container import Services
    from bot.services.domain import Workspace
    from slack_standin import RunningStandin

log = logging.getLogger(__name__)

# Listeners spend most of their time waiting on ACS and Slack; many threads keep one slow
# room creation from holding up everybody else's clicks.
LISTENER_THREADS = 64
SQLITE_JOB_THREADS = 16
WORK_READY_SECONDS = 60.0
CONSOLE_REMINDER_POLL_SECONDS = 3.0  # in the console, reminders show up within seconds
Gateways = tuple[RoomsGateway, IdentityGateway]
Closers = list[Callable[[], None]]


def assemble(settings: Settings, kind: ProcessKind, options: Options | None = None) -> Process:
    """The parts of a `kind` process, built and connected. The loops beside the app start
    here and stop with `close()`; serving and the console are started by their run mode."""
    options = options or Options()
    if kind is ProcessKind.SERVING:
        return _serving(settings, options)
    if kind is ProcessKind.WORK:
        return _work_process(settings, options.wake)
    if kind is ProcessKind.CONSOLE:
        return _console(settings, options)
    if kind is ProcessKind.REMINDERS:
        return _standalone_reminders(settings, options)
    return Process(build_services(settings, gateways=options.gateways))


def build_services(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    engine: Engine | None = None,
    gateways: Gateways | None = None,
    database_may_wait: bool = False,
) -> Services:
    """The use cases on the configured store and ACS (or on the gateways given)."""
    closers: Closers = []
    if gateways is None:
        gateways = acs_gateways(_local_acs(settings, closers), closers)
    services = assemble_services(
        engine=engine or make_engine(settings.effective_database_url),
        rooms=gateways[0],
        identity=gateways[1],
        rules=Rules(
            admins=settings.roombot_admins,
            default_timezone=settings.roombot_timezone,
            reminder_leads=settings.roombot_reminders,
            audit_retention_days=settings.roombot_audit_retention_days,
            join_links=JoinLinks(
                settings.roombot_public_url,
                settings.roombot_join_url,
                personal=settings.roombot_session_secret is not None,
            ),
            pass_secret=_secret_value(settings.roombot_session_secret),
        ),
        clock=clock,
        database_may_wait=database_may_wait,
    )
    services.closers.extend(closers)
    return services


def _serving(settings: Settings, options: Options) -> Process:
    """Store, ACS, services and the Bolt app on one engine. Each ack's work is recorded as a
    job, which `ROOMBOT_WORK_PROCESSES` work processes claim (with 0, or when `gateways` are
    given, a job worker on this process's own threads)."""
    closers: Closers = []
    work = None
    if options.gateways is None:
        own = _own_webhook(settings, f"http://127.0.0.1:{settings.port}")
        settings = _local_acs(settings, closers, webhook=own)  # the work processes reach it too
        if settings.roombot_work_processes > 0:  # first: they build while this one does
            count = settings.roombot_work_processes
            work = WorkProcesses(settings, count=count, build=build_work_process)
    try:
        return _serving_parts(settings, options.gateways, closers, work)
    except BaseException:
        if work is not None:
            work.close()
        raise


def _serving_parts(
    settings: Settings, gateways: Gateways | None, closers: Closers, work: WorkProcesses | None
) -> Process:
    # A database that is down now must not keep Slack from hearing why: /healthz fails and
    # every request is told the database is unavailable until it is back.
    engine = make_engine(settings.effective_database_url)
    gateways = gateways or acs_gateways(settings, closers)
    services = build_services(settings, engine=engine, gateways=gateways, database_may_wait=True)
    services.closers.extend(closers)
    executor = ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener")
    queue = _job_queue(settings, engine, services)
    wake = threading.Semaphore(0) if work is None else None
    runner = DurableLazyRunner(
        queue,
        wake=wake.release if wake is not None else work.wake,  # type: ignore[union-attr]
        fallback=ThreadLazyListenerRunner(log, executor),
    )
    app = create_app(settings, services, executor=executor, engine=engine, lazy_runner=runner)
    jobs = None
    if wake is not None:  # the jobs run here, dispatched to an app of their own
        worker_app = create_app(settings, services, executor=executor, engine=engine, worker=True)
        jobs = JobWorker(worker_app, queue, wake, threads=_job_threads(engine)).start()
    clients = workspace_clients(app, settings)
    start_reminder_loop(services, clients, settings)
    start_reconcile_loop(services, settings)
    start_live_call_loop(services, clients)
    health = HealthCheck(engine=engine, rooms=gateways[0], work=_work_check(work, jobs))
    if work is not None and not work.wait_ready(WORK_READY_SECONDS):
        log.warning("work processes not ready after %.0f s; serving anyway", WORK_READY_SECONDS)
    installed = installed_check(app)
    web = join_web(settings, services, installed)
    events = acs_events_web(settings, services, installed)
    return Process(
        services,
        app=app,
        health=health,
        executor=executor,
        work=work,
        jobs=jobs,
        web=web,
        acs_events=events,
    )


def _job_queue(settings: Settings, engine: Engine, services: Services) -> JobQueue:
    lease = timedelta(seconds=settings.roombot_job_lease_seconds)
    return JobQueue(engine=engine, clock=services.clock, lease=lease)


def _work_check(work: WorkProcesses | None, jobs: JobWorker | None) -> Callable[[], Check]:
    if work is not None:
        return lambda: Check(*work.health())
    assert jobs is not None
    return lambda: Check(
        jobs.alive(), "job worker running" if jobs.alive() else "job worker stopped"
    )


def _job_threads(engine: Engine) -> int:
    """Jobs run at once by a worker. On SQLite, one writer at a time: more threads only queue
    on its lock, and one holding it waits behind the others for the GIL, so the lock is held
    longer and waiters time out. On PostgreSQL, as many as there are listener threads."""
    return SQLITE_JOB_THREADS if is_sqlite(engine) else LISTENER_THREADS


def build_work_process(settings: Settings, wake: Any) -> Process:
    """What a work process runs (pickled by reference into each one)."""
    return assemble(settings, ProcessKind.WORK, Options(wake=wake))


def _work_process(settings: Settings, wake: Any) -> Process:
    """Inside a work process: an app whose lazy listeners run the jobs its worker claims."""
    configure_logging()
    engine = make_engine(settings.effective_database_url)
    services = build_services(settings, engine=engine, database_may_wait=True)
    executor = ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener")
    app = create_app(settings, services, executor=executor, engine=engine, worker=True)
    queue = _job_queue(settings, engine, services)
    jobs = JobWorker(app, queue, wake, threads=_job_threads(engine))
    return Process(services, app=app, executor=executor, jobs=jobs)


def _standalone_reminders(settings: Settings, options: Options) -> Process:
    """`roombot reminders` posts with SLACK_BOT_TOKEN to SLACK_API_URL (one workspace); the
    run mode runs its loop, reconciliation runs beside it."""
    settings.require("SLACK_BOT_TOKEN")  # before the store is opened: one line, nothing made
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    client = WebClient(token=token, base_url=settings.slack_api_url)
    services = build_services(settings, gateways=options.gateways)
    start_reconcile_loop(services, settings)
    loop = ReminderLoop(
        services,
        lambda _workspace: client,
        clock=services.clock,
        poll_seconds=settings.roombot_reminder_poll_seconds,
        owner_id=default_owner_id(),
        lease_seconds=options.lease_seconds,
        batch=options.batch,
    )
    return Process(services, reminders=loop)


def _console(settings: Settings, options: Options) -> Process:
    """The embedded ACS emulator unless told otherwise, and reminders posted to the stand-in
    (what they post prints at the next flush)."""
    standin = options.standin
    if standin is None:
        raise ValueError("the console plays against a Slack stand-in")
    if settings.acs_connection_string is None and settings.acs_endpoint is None:
        settings = settings.model_copy(update={"acs_connection_string": SecretStr("local")})
    server = HttpServer(host="localhost", port=0)  # the join page and webhook, as serve has them
    public_url = f"http://localhost:{server.port}"
    # Fresh each run: sessions end with the console, and so does its Event Grid subscription.
    update = {
        "roombot_public_url": public_url,
        "roombot_session_secret": SecretStr(secrets.token_urlsafe(32)),
        "roombot_eventgrid_secret": SecretStr(secrets.token_urlsafe(32)),
    }
    settings = settings.model_copy(update=update)
    closers: Closers = []
    if options.gateways is None:  # the emulator plays Event Grid to the console's webhook
        settings = _local_acs(settings, closers, webhook=_own_webhook(settings, public_url))
    services = build_services(settings, gateways=options.gateways)
    services.closers.extend(closers)
    team = standin.workspace.team_id
    installed: Callable[[Workspace], bool] = lambda ws: ws.team_id == team  # noqa: E731
    web = join_web(_console_sign_in(settings, standin), services, installed)
    server.start(console_routes(web, acs_events_web(settings, services, installed)))
    services.closers.append(partial(_stop_quietly, server))
    client = WebClient(token=standin.bot_token, base_url=standin.base_url)
    poll = min(settings.roombot_reminder_poll_seconds, CONSOLE_REMINDER_POLL_SECONDS)
    quick = settings.model_copy(update={"roombot_reminder_poll_seconds": poll})
    reminders = start_reminder_loop(services, lambda _workspace: client, quick)
    start_reconcile_loop(services, quick)
    start_live_call_loop(services, lambda _workspace: client)
    session = console_session(services, standin, settings, options.user, options.channel)
    return Process(services, reminders=reminders, console=session, web_url=public_url)


def _secret_value(secret: SecretStr | None) -> str | None:
    return None if secret is None else secret.get_secret_value()


def _stop_quietly(server: HttpServer) -> None:
    server.stop(grace_s=1)


def _console_sign_in(settings: Settings, standin: RunningStandin) -> Settings:
    """The console's join page signs people in through its Slack stand-in, as a real install
    does through Slack: an app registered there for this run."""
    client_id, client_secret = f"console.{secrets.token_hex(4)}", secrets.token_urlsafe(24)
    callback = f"{settings.roombot_public_url}{CALLBACK_PATH}"
    standin.register_oidc_client(client_id, client_secret, [callback])
    return settings.model_copy(
        update={
            "slack_api_url": standin.base_url,
            "slack_client_id": client_id,
            "slack_client_secret": SecretStr(client_secret),
        }
    )


def console_session(
    services: Services, standin: RunningStandin, settings: Settings, user: str, channel: str
) -> ConsoleSession:
    """The real app, fed signed requests by the stand-in's sender, answering the stand-in."""
    executor = IdleExecutor(16)
    secret = secrets.token_hex(16)
    client = WebClient(token=standin.bot_token, base_url=standin.base_url)
    signed = settings.model_copy(update={"slack_signing_secret": SecretStr(secret)})
    app = create_app(signed, services, client=client, executor=executor)
    play_manifest(standin.workspace, settings.roombot_public_url)
    slack = LocalSlack(
        app, signing_secret=secret, team_id=standin.workspace.team_id, standin=standin
    )
    return ConsoleSession(standin, slack, executor, VERBS, user=user, channel=channel)


def _own_webhook(settings: Settings, base_url: str) -> str | None:
    """This process's Event Grid webhook with its secret, for the embedded emulator to call."""
    secret = settings.roombot_eventgrid_secret
    if secret is None:
        return None
    code = secret.get_secret_value().split(",")[-1].strip()
    return f"{base_url}{EVENTS_PATH}?code={quote(code, safe='')}"


def _local_acs(settings: Settings, closers: Closers, *, webhook: str | None = None) -> Settings:
    """ACS_CONNECTION_STRING=local: start the embedded emulator and point at it; with
    `webhook`, the emulator plays Event Grid to it."""
    if not settings.uses_local_acs:
        return settings
    config = EmulatorConfig(data_dir=settings.roombot_data_dir / "acs", event_grid_webhook=webhook)
    emulator = start_emulator(config)
    closers.append(emulator.stop)
    local = SecretStr(emulator.connection_string)
    return settings.model_copy(update={"acs_connection_string": local})


def acs_gateways(settings: Settings, closers: Closers) -> Gateways:
    """The official SDK clients; built lazily, so nothing reaches ACS yet."""
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
    executor: Executor | None = None,
    engine: Engine | None = None,
    lazy_runner: LazyListenerRunner | None = None,
    worker: bool = False,
) -> App:
    """The Bolt app with every listener registered. Acks return as soon as the tiny ack
    listener does (process_before_response); the slow work is a Bolt lazy listener, run by
    `lazy_runner` (by default Bolt's own, on `executor`; see bot/listeners/after_ack.py).
    A `worker` app runs jobs recorded from verified requests: it checks no signature.

    Single-workspace with SLACK_BOT_TOKEN; multi-workspace (OAuth install, tokens per workspace
    kept in `engine`'s database) when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set."""
    client = client or app_client(settings)
    retry_rate_limits(client)
    executor = executor or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener")
    secret = settings.slack_signing_secret
    installations = _installations(settings, services, engine) if settings.oauth_enabled else {}
    app = LoggedApp(
        client=client,
        signing_secret=secret.get_secret_value() if secret else "",
        token_verification_enabled=False,
        process_before_response=True,
        listener_executor=executor,
        request_verification_enabled=not worker,
        **installations,
    )
    if lazy_runner is not None:  # set as Bolt's own AWS Lambda adapter sets its runner
        app.listener_runner.lazy_listener_runner = lazy_runner
    _register_listeners(app, services)
    attach_audit_channel(app, settings.roombot_audit_channel, services)
    return app


def _installations(settings: Settings, services: Services, engine: Engine | None) -> dict[str, Any]:
    """Bolt's OAuth flow and installation store, on RoomBot's database; installs are audited."""
    if engine is None:
        engine = make_engine(settings.effective_database_url)
        services.closers.append(engine.dispose)
    return bolt_installation_kwargs(settings, engine, audit_installs(services.audit))


def _register_listeners(app: App, services: Services) -> None:
    """Every Slack surface; the slow work after each ack is a lazy listener (see `after_ack`)."""
    dedupe.register(app, services)  # first: a repeated event must reach no other code
    users = UserDirectory()
    commands.register(app, services, users)
    actions.register(app, services, users)
    audit.register(app, services, users)
    views.register(app, services, users)
    home.register(app, services, users)
    shortcuts.register(app)
    lifecycle.register(app, services)
    functions.register(app, services, users)
    unfurls.register(app, services)
    errors.register(app)
