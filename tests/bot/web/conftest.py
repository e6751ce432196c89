"""`roombot console` as a newcomer starts it: its own Slack stand-in, the embedded emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app import assemble
from bot.config import Settings
from bot.run_modes.process import Options, Process, ProcessKind
from slack_standin import RunningStandin, demo_workspace, start_slack_standin


@pytest.fixture
def console(tmp_path: Path) -> Iterator[tuple[Process, RunningStandin]]:
    with start_slack_standin(demo_workspace()) as standin:
        settings = Settings(_env_file=None, roombot_data_dir=tmp_path / "data")  # type: ignore[call-arg]
        process = assemble(settings, ProcessKind.CONSOLE, Options(standin=standin))
        try:
            yield process, standin
        finally:
            process.close()
