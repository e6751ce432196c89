"""`roombot` command line. Each subcommand has --help; errors are one line and a non-zero exit."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bot.config import load_settings
from bot.run_modes.process import configure_logging, require_settings
from bot.services.errors import RoomBotError

Handler = Callable[[argparse.Namespace], int]


def _acs_emulator(argv: Sequence[str]) -> int:
    from acs_emulator import cli  # lazy: starting the emulator must not load the whole app

    return cli.main(list(argv))


# The handlers import their run mode lazily: `--help`, a bad flag and a missing setting answer
# at once, without loading the app (Bolt, the Azure SDKs, SQLAlchemy take ~1 s).


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.run_modes import db  # lazy, like every run mode: see above

    return db.run_upgrade(load_settings())


def _console(args: argparse.Namespace) -> int:
    from bot.run_modes import console  # lazy: see above

    overrides = {"roombot_data_dir": args.data_dir} if args.data_dir else {}
    return console.run(load_settings(**overrides), user=args.user, channel=args.channel)


def _serve(args: argparse.Namespace) -> int:
    overrides = {"port": args.port} if args.port else {}  # validated like PORT
    settings = load_settings(**overrides)
    require_settings(settings, "serve")  # before logging and the heavy imports: one line
    configure_logging()
    from bot.run_modes.serve import serve  # lazy: see above

    return serve(settings, host=args.host)


def _socket(args: argparse.Namespace) -> int:
    settings = load_settings()
    require_settings(settings, "socket")
    configure_logging()
    from bot.run_modes.socket import run_socket_mode  # lazy: see above

    return run_socket_mode(settings)


def _add_run_modes(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve Slack over HTTP: POST /slack/events, GET /healthz, OAuth install",
        description="Production HTTP server on PORT: Slack's requests at POST /slack/events "
        "(signature always checked), health at GET /healthz. One workspace with SLACK_BOT_TOKEN, "
        "or any that installs at GET /slack/install with SLACK_CLIENT_ID and "
        "SLACK_CLIENT_SECRET. Stops gracefully on SIGTERM or SIGINT.",
    )
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")  # noqa: S104
    serve.add_argument("--port", type=int, help="port (default PORT, else 3000)")
    serve.set_defaults(handler=_serve)
    commands.add_parser(
        "socket",
        help="serve Slack over Socket Mode (needs SLACK_APP_TOKEN)",
        description="Connect to Slack over a WebSocket with the xapp- app-level token in "
        "SLACK_APP_TOKEN; no public URL needed. Stops gracefully on SIGTERM or SIGINT.",
    ).set_defaults(handler=_socket)


def _reminders(args: argparse.Namespace) -> int:
    from bot.run_modes import reminders  # lazy: see above

    settings = load_settings()
    return reminders.run(settings, batch=args.batch, lease_seconds=args.lease_seconds)


def _add_reminders_command(commands: Any) -> None:
    reminders = commands.add_parser(
        "reminders",
        help="run only the reminder loop (posts with SLACK_BOT_TOKEN to SLACK_API_URL)",
        description="Post due room reminders until SIGTERM or Ctrl-C. Several may "
        "share one PostgreSQL database: each reminder is posted once.",
    )
    reminders.add_argument("--batch", type=int, default=50, help="reminders per claim (50)")
    reminders.add_argument(
        "--lease-seconds", type=float, default=60.0, help="how long a claim is held (60)"
    )
    reminders.set_defaults(handler=_reminders)


def _reconcile(args: argparse.Namespace) -> int:
    from bot.run_modes import reconcile  # lazy: see above

    settings = load_settings()
    return reconcile.run(settings, team_id=args.team, dry_run=args.dry_run, out=sys.stdout)


def _add_reconcile_command(commands: Any) -> None:
    reconcile = commands.add_parser(
        "reconcile",
        help="compare the store with ACS once and repair the drift",
        description="Compare RoomBot's store with ACS and repair what drifted: rooms gone from "
        "ACS are marked deleted, windows follow ACS, rosters are pushed to ACS, rooms RoomBot "
        "created but never recorded are adopted (or deleted when nobody asked for them). ACS "
        "rooms RoomBot cannot tie to its own users are never touched. Prints one line per "
        "finding and a summary. Exit status: 0 when every room was checked and all is "
        "repaired (or, with --dry-run, listed); 1 when a repair failed; 2 when the run could "
        "not be done (ACS or the database unreachable, ACS refusing the key); 3 when no repair "
        "failed but some rooms could not be checked (each is listed, with why): run it again.",
    )
    reconcile.add_argument(
        "--dry-run", action="store_true", help="only list what would be repaired; change nothing"
    )
    reconcile.add_argument("--team", metavar="TEAM_ID", help="only this Slack workspace (T...)")
    reconcile.set_defaults(handler=_reconcile)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roombot", description="Run Azure Communication Services Rooms from Slack."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    console = commands.add_parser(
        "console",
        help="try RoomBot offline: a demo Slack workspace, local ACS, SQLite",
        description="Type /room commands as a demo user; reads stdin to EOF when piped.",
    )
    console.add_argument("--as", dest="user", default="ana", help="demo user (default ana)")
    console.add_argument("--channel", default="general", help="channel (default general)")
    console.add_argument("--data-dir", type=Path, help="state directory (default .roombot)")
    console.set_defaults(handler=_console)
    _add_run_modes(commands)
    _add_reminders_command(commands)
    _add_reconcile_command(commands)
    # Listed here for --help; its own flags are parsed by the emulator's CLI (see main).
    commands.add_parser("acs-emulator", help="run the local ACS Rooms + Identity emulator")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser(
        "upgrade", help="apply migrations to DATABASE_URL", description="Apply all migrations."
    ).set_defaults(handler=_db_upgrade)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["acs-emulator"]:
        return _acs_emulator(argv[1:])
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except RoomBotError as exc:  # expected (a setting, an outage): one line, no traceback
        print(f"roombot: {' '.join(exc.message.split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
