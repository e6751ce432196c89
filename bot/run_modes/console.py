"""`roombot console`: the real app against a demo Slack workspace, until end of input."""

from __future__ import annotations

import logging
import sys
import tempfile
from typing import TYPE_CHECKING

from bot.app import assemble
from bot.console.session import lines
from bot.run_modes.db import database_outages
from bot.run_modes.process import Options, ProcessKind
from bot.services.errors import ConfigurationError
from slack_standin import demo_workspace, start_slack_standin

if TYPE_CHECKING:
    from pathlib import Path

    from bot.config import Settings


def run(settings: Settings, *, user: str, channel: str) -> int:
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    require_writable(settings.roombot_data_dir)
    with start_slack_standin(demo_workspace()) as standin:
        options = Options(standin=standin, user=user, channel=channel)
        with database_outages(settings):
            process = assemble(settings, ProcessKind.CONSOLE, options)
        try:
            session = process.console
            assert session is not None  # what a console process is
            interactive = sys.stdin.isatty()
            if interactive:
                print("RoomBot console: an offline Slack workspace. Type :help for help.")
                print(f"Join pages (open a card's Join link in a browser): {process.web_url}/r/…")
            for line in lines(interactive, session, settings.roombot_data_dir / "console_history"):
                if not interactive and line.strip():
                    print(f"> {line.strip()}")  # echo piped input so the transcript reads well
                if not session.handle(line):
                    break
        finally:
            process.close()
    return 0


def require_writable(data_dir: Path) -> None:
    """The console keeps everything in `data_dir` (its SQLite file, the emulator's rooms, the
    input history): refuse at once, in one line, when nothing can be written there."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as exc:
        why = "it is not a directory" if isinstance(exc, FileExistsError) else exc.strerror
        raise ConfigurationError(
            f"cannot keep the console's state in {data_dir}: {why or exc}; "
            "choose another --data-dir (or ROOMBOT_DATA_DIR)"
        ) from None
