"""`roombot console`: the real app against a demo Slack workspace, until end of input."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from bot.app import assemble
from bot.console.session import lines
from bot.run_modes.process import Options, ProcessKind
from slack_standin import demo_workspace, start_slack_standin

if TYPE_CHECKING:
    from bot.config import Settings


def run(settings: Settings, *, user: str, channel: str) -> int:
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    with start_slack_standin(demo_workspace()) as standin:
        options = Options(standin=standin, user=user, channel=channel)
        process = assemble(settings, ProcessKind.CONSOLE, options)
        try:
            session = process.console
            assert session is not None  # what a console process is
            interactive = sys.stdin.isatty()
            if interactive:
                print("RoomBot console: an offline Slack workspace. Type :help for help.")
            for line in lines(interactive, session, settings.roombot_data_dir / "console_history"):
                if not interactive and line.strip():
                    print(f"> {line.strip()}")  # echo piped input so the transcript reads well
                if not session.handle(line):
                    break
        finally:
            process.close()
    return 0
