"""The console runs RoomBot's Workflow Builder steps as Slack would (`:step …`, printing the
outcome) and posts lines with links as messages, whose join links RoomBot unfurls."""

from __future__ import annotations

import pytest

from bot.run_modes.process import Process
from slack_standin import RunningStandin
from tests.bot.web.test_console_join import JOIN_LINK


def typed(process: Process, capsys: pytest.CaptureFixture[str], *lines: str) -> str:
    assert process.console is not None
    capsys.readouterr()
    for line in lines:
        process.console.handle(line)
    return capsys.readouterr().out


def test_a_step_runs_as_the_console_person_and_prints_its_outputs(
    console: tuple[Process, RunningStandin], capsys: pytest.CaptureFixture[str]
) -> None:
    process, _standin = console
    out = typed(process, capsys, ':step create title="Standup" duration=15m attendees=ben,cho')
    assert "(step create_room completed) room=#1" in out
    assert f"join_url={process.web_url}/r/" in out
    out = typed(process, capsys, ":step extend room=#1 duration=30m", ":step delete room=#2")
    assert "(step extend_room completed) room=#1" in out
    assert "(step delete_room failed) I can't find room #2 in this workspace." in out
    assert "no step 'launch'" in typed(process, capsys, ":step launch title=x")
    assert "needs its required inputs ['room']" in typed(process, capsys, ":step delete")


def test_a_pasted_join_link_unfurls_and_other_links_do_not(
    console: tuple[Process, RunningStandin], capsys: pytest.CaptureFixture[str]
) -> None:
    process, standin = console
    typed(process, capsys, "/room create Crit for 30m")
    found = JOIN_LINK.search(str(standin.messages("general")[0]["blocks"]))
    assert found is not None
    out = typed(process, capsys, f"see {found.group(0)} and https://example.org/x")
    assert f"(link unfurled by RoomBot) {found.group(0)}" in out
    assert "*Crit* · Room #1" in out
    assert "example.org" not in out.split("(link unfurled by RoomBot)", 1)[1]
