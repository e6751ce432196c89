"""`roombot console`: the real Bolt app, offline, against a demo workspace.

Lines are what someone would type in Slack (`/room create Standup tomorrow 9am @ben`), plus a
few verbs for what they would click (`:press Extend +1h #1`, `:submit title="Retro"`).
"""

from __future__ import annotations

import argparse
import json
import logging
import secrets
import shlex
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from slack_sdk import WebClient

from bot.app import build_services, create_app
from bot.background.reminder_loop import ReminderWorker, start_reminder_worker
from bot.config import Settings
from bot.console.form_input import ConsoleInputError, state_values
from bot.console.surfaces import find_surface
from bot.console.transcript import Transcript
from bot.console.verbs import VERBS
from bot.services.container import Services
from slack_standin import RunningStandin, demo_workspace, start_slack_standin
from slack_standin.bolt_sender import IdleExecutor, LocalSlack

SETTLE_SECONDS = 60.0
CONSOLE_REMINDER_POLL_SECONDS = 3.0  # reminders show up within a few seconds


class ConsoleSession:
    def __init__(
        self,
        services: Services,
        standin: RunningStandin,
        settings: Settings,
        user: str,
        channel: str,
    ) -> None:
        self.standin, self.services, self.workspace = standin, services, standin.workspace
        self.executor = IdleExecutor(16)
        secret = secrets.token_hex(16)
        client = WebClient(token=standin.bot_token, base_url=standin.base_url)
        signed = settings.model_copy(update={"slack_signing_secret": SecretStr(secret)})
        app = create_app(signed, services, client=client, executor=self.executor)
        self.slack = LocalSlack(
            app, signing_secret=secret, team_id=self.workspace.team_id, workspace=self.workspace
        )
        self.transcript = Transcript(self.workspace, print)
        standin.subscribe(self.transcript.record)
        self.user, self.channel = self.workspace.user(user).id, self.workspace.channel(channel).id
        self._client = client

    # --- the loop -----------------------------------------------------------------------

    def handle(self, line: str) -> bool:
        """Run one line; False means leave."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line in {":quit", ":q", ":exit"}:
            return False
        try:
            self._dispatch(line)
        except ConsoleInputError as problem:
            print(f"(console) {problem}")
        self.settle()
        return True

    def _dispatch(self, line: str) -> None:
        verb, _, rest = line.partition(" ")
        if line.startswith("/"):
            self.command(line)
        elif verb in VERBS:
            VERBS[verb](self, rest.strip())
        else:
            raise ConsoleInputError(f"I don't know {verb!r}; type :help")

    def settle(self) -> None:
        self.executor.wait_idle(SETTLE_SECONDS)
        self.transcript.viewer_tz = self.workspace.users[self.user].tz or "UTC"
        self.transcript.flush()

    # --- what a person does ---------------------------------------------------------------

    def command(self, line: str) -> None:
        command, _, text = line.partition(" ")
        response = self.slack.command(
            user_id=self.user,
            channel_id=self.channel,
            text=text,
            command=command,
            response_url=self.standin.new_response_url(self.channel, self.user),
            trigger_id=self.standin.new_trigger_id(self.user),
        )
        self.transcript.ack(response)

    def press(self, rest: str) -> None:
        label, room = _label_and_room(rest)
        surface = find_surface(self.standin, self.user, self.channel, label, room)
        if surface is None:
            raise ConsoleInputError(
                f"no button {label!r} in view" + (f" for #{room}" if room else "")
            )
        url = None
        if surface.channel_id:
            url = self.standin.new_response_url(
                surface.channel_id, self.user, message_ts=surface.message_ts
            )
        response = self.slack.press(
            user_id=self.user,
            action=surface.action,
            container=surface.container,
            trigger_id=self.standin.new_trigger_id(self.user),
            response_url=url,
        )
        self.transcript.ack(response)

    def submit(self, rest: str) -> None:
        stack = self.standin.modal_stack(self.user)
        if not stack:
            raise ConsoleInputError("no form is open")
        view = stack[-1]
        given = dict(_pair(word) for word in shlex.split(rest))
        values = state_values(
            view,
            given,
            workspace=self.workspace,
            channel_id=self.channel,
            tz=ZoneInfo(self.workspace.users[self.user].tz or "UTC"),
            now=datetime.now(UTC),
        )
        response = self.slack.submit(
            user_id=self.user,
            view=view,
            values=values,
            trigger_id=self.standin.new_trigger_id(self.user),
        )
        self._apply_view_answer(view, response.body)
        self.transcript.ack(response)

    def _apply_view_answer(self, view: dict[str, Any], body: str) -> None:
        """Slack itself applies `response_action: update`; here the console plays Slack."""
        answer = json.loads(body) if body.startswith("{") else {}
        if answer.get("response_action") == "update":
            self._client.views_update(view_id=view["id"], view=answer["view"])
        elif answer.get("response_action") != "errors":
            self.standin.close_modals(self.user)


def _label_and_room(rest: str) -> tuple[str, int | None]:
    words = rest.split()
    if words and words[-1].startswith("#") and words[-1][1:].isdigit():
        return " ".join(words[:-1]), int(words[-1][1:])
    if not words:
        raise ConsoleInputError("say which button, e.g. :press Extend +1d #1")
    return " ".join(words), None


def _pair(word: str) -> tuple[str, str]:
    key, sep, value = word.partition("=")
    if not sep:
        raise ConsoleInputError(f"write fields as name=value, not {word!r}")
    return key.strip(), value


def lines(interactive: bool, session: ConsoleSession, history: Path) -> Iterator[str]:
    if not interactive:
        yield from sys.stdin
        return
    import readline  # history and line editing for people at a terminal

    history.parent.mkdir(parents=True, exist_ok=True)
    if history.exists():
        readline.read_history_file(history)
    try:
        while True:
            who = session.workspace.users[session.user].name
            where = session.workspace.channels[session.channel].name
            yield input(f"{who} in #{where}> ")
    except EOFError:
        print()
    finally:
        readline.write_history_file(history)


def start_console_reminders(
    services: Services, standin: RunningStandin, settings: Settings
) -> ReminderWorker:
    """A worker thread posting to the stand-in; what it posts prints at the next flush."""
    client = WebClient(token=standin.bot_token, base_url=standin.base_url)
    poll = min(settings.roombot_reminder_poll_seconds, CONSOLE_REMINDER_POLL_SECONDS)
    quick = settings.model_copy(update={"roombot_reminder_poll_seconds": poll})
    return start_reminder_worker(services, lambda _workspace: client, quick)


def run(settings: Settings, args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    if settings.acs_connection_string is None and settings.acs_endpoint is None:
        settings = settings.model_copy(update={"acs_connection_string": SecretStr("local")})
    with start_slack_standin(demo_workspace()) as standin:
        services = build_services(settings)
        try:
            session = ConsoleSession(services, standin, settings, args.user, args.channel)
            start_console_reminders(services, standin, settings)
            interactive = sys.stdin.isatty()
            if interactive:
                print("RoomBot console: an offline Slack workspace. Type :help for help.")
            for line in lines(interactive, session, settings.roombot_data_dir / "console_history"):
                if not interactive and line.strip():
                    print(f"> {line.strip()}")  # echo piped input so the transcript reads well
                if not session.handle(line):
                    break
        finally:
            services.close()
    return 0
