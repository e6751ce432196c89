"""Console verbs for what Slack itself would start: a Workflow Builder step run with inputs
(`:step create title="Standup" duration=15m attendees=ben,cho`), printed with its outputs, and a
message with links posted as someone (Slack then shares RoomBot's join links for unfurling)."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from bot.console.form_input import YES, ConsoleInputError
from bot.grammar.times import parse_duration, parse_time

if TYPE_CHECKING:
    from bot.console.session import ConsoleSession

STEPS: Final = {
    "create": "create_room",
    "invite": "invite_to_room",
    "extend": "extend_room",
    "delete": "delete_room",
}
PEOPLE: Final = ("presenters", "attendees", "consumers", "collaborators", "users")
TIMES: Final = ("start", "end")


def run_step(session: ConsoleSession, rest: str) -> None:
    """`:step NAME field=value ...`: run the step as the console's person, print the outcome."""
    name, _, given = rest.partition(" ")
    callback_id = STEPS.get(name.strip())
    if callback_id is None:
        raise ConsoleInputError(f"no step {name!r}; try one of {', '.join(STEPS)}")
    inputs = step_inputs(session, given)
    inputs["run_by"] = {"id": session.user, "secret": f"console-{session.user}"}
    try:
        execution = session.slack.function_executed(
            callback_id=callback_id, inputs=inputs, user_id=session.user
        )
    except ValueError as refused:  # Slack would not start it: a required input left out
        raise ConsoleInputError(str(refused)) from None
    session.settle()
    outcome = session.standin.function_outcome(execution) or {}
    if "error" in outcome:
        print(f"(step {callback_id} failed) {outcome['error']}")
    elif "outputs" in outcome:
        shown = "  ".join(f"{k}={_shown(k, v)}" for k, v in outcome["outputs"].items())
        print(f"(step {callback_id} completed) {shown}")
    else:
        print(f"(step {callback_id} still running)")


def step_inputs(session: ConsoleSession, given: str) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    tz = ZoneInfo(session.workspace.users[session.user].tz or "UTC")
    for word in shlex.split(given):
        field, sep, value = word.partition("=")
        if not sep:
            raise ConsoleInputError(f"expected field=value, got {word!r}")
        if field in PEOPLE:
            inputs[field] = [demo_user(session, name) for name in value.split(",") if name]
        elif field in TIMES:
            moment = parse_time(value, now=datetime.now(UTC), tz=tz)
            if moment is None:
                raise ConsoleInputError(f"{value!r} is not a time")
            inputs[field] = int(moment.timestamp())
        elif field in {"duration", "minutes", "duration_minutes"}:
            inputs["duration_minutes"] = _minutes(value)
        elif field in {"channel", "channel_id"}:
            inputs["channel_id"] = demo_channel(session, value)
        elif field == "pstn":
            inputs["pstn"] = value.lower() in YES
        else:
            inputs[field] = value
    return inputs


def post_message(session: ConsoleSession, line: str) -> None:
    """A line with a link, posted as the console's person in the current channel."""
    session.slack.post_with_links(channel=session.channel, user_id=session.user, text=line)
    name = session.workspace.users[session.user].name
    print(f"(you posted in #{session.workspace.channels[session.channel].name} as @{name})")


def demo_user(session: ConsoleSession, name: str) -> str:
    """The id of the demo user `name` (`ben` or `@ben`), or a console error saying so."""
    try:
        return session.workspace.user(name.lstrip("@")).id
    except KeyError:
        raise ConsoleInputError(f"no demo user called {name!r}; try :users") from None


def demo_channel(session: ConsoleSession, name: str) -> str:
    """The id of the demo channel `name` (`design` or `#design`), or a console error."""
    try:
        return session.workspace.channel(name.lstrip("#")).id
    except KeyError:
        raise ConsoleInputError(f"no channel called {name!r}; try :users") from None


def _minutes(value: str) -> int:
    if value.isdigit():
        return int(value)
    length = parse_duration(value)
    if length is None:
        raise ConsoleInputError(f"{value!r} is not a length (15m, 1h, 90)")
    return int(length.total_seconds() // 60)


def _shown(name: str, value: Any) -> str:
    if name.startswith("valid_") and isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value)
