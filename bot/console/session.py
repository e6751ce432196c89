"""`roombot console`: the real Bolt app, offline, against a demo workspace.

Lines are what someone would type in Slack (`/room create Standup tomorrow 9am @ben`), plus a
few verbs for what they would click (`:press Extend +1h #1`, `:submit title="Retro"`).
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.console.form_input import ConsoleInputError, state_values
from bot.console.surfaces import find_surface
from bot.console.transcript import Transcript

if TYPE_CHECKING:
    from pathlib import Path

    from slack_standin import RunningStandin
    from slack_standin.bolt_sender import IdleExecutor, LocalSlack

SETTLE_SECONDS = 60.0
# A console verb (`:press`, `:home`, …): what the person did, done to their session.
Verb = Callable[["ConsoleSession", str], None]


class ConsoleSession:
    """One person at the console: what they type becomes what Slack would send the app
    (through `slack`), and what the app sends Slack is printed as they would see it."""

    def __init__(
        self,
        standin: RunningStandin,
        slack: LocalSlack,
        executor: IdleExecutor,
        verbs: Mapping[str, Verb],
        *,
        user: str,
        channel: str,
    ) -> None:
        self.standin, self.slack, self.executor = standin, slack, executor
        self.workspace = standin.workspace
        self._verbs = verbs
        self.transcript = Transcript(self.workspace, print)
        standin.subscribe(self.transcript.record)
        self.user, self.channel = self.workspace.user(user).id, self.workspace.channel(channel).id
        # The console plays Slack itself where Slack would act on an answer (a modal update).
        self._client = WebClient(token=standin.bot_token, base_url=standin.base_url)

    def close(self) -> None:
        self.executor.wait_idle(SETTLE_SECONDS)
        self.executor.shutdown(wait=True)

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
        elif verb in self._verbs:
            self._verbs[verb](self, rest.strip())
        elif "://" in line and ":post" in self._verbs:  # pasted text with a link: a message
            self._verbs[":post"](self, line)
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
    # Lazy on purpose: importing readline takes over how input() reads the terminal, which
    # only an interactive session wants.
    import readline

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
