"""Console verbs turned into what Slack would send: a modal's state, a button on a surface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.grammar.times import parse_time

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from slack_standin import Workspace

Json = dict[str, Any]
YES = {"on", "yes", "true", "1", "y"}


class ConsoleInputError(Exception):
    """The console line could not be turned into a Slack interaction; say why."""


def input_blocks(view: Json) -> Iterator[tuple[str, Json]]:
    for block in view.get("blocks") or []:
        if block.get("type") == "input":
            yield str(block.get("block_id")), block["element"]


def state_values(
    view: Json,
    given: dict[str, str],
    *,
    workspace: Workspace,
    tz: ZoneInfo,
    now: datetime,
    channel_id: str | None = None,
) -> Json:
    """Every input's state: the value given for its action_id, else what it showed."""
    unknown = set(given) - {str(e.get("action_id")) for _, e in input_blocks(view)}
    if unknown:
        raise ConsoleInputError(f"this form has no field {sorted(unknown)[0]!r}")
    values: Json = {}
    for block_id, element in input_blocks(view):
        action_id = str(element.get("action_id"))
        reader = _READERS.get(str(element.get("type")), _text_state)
        text = given.get(action_id)
        values[block_id] = {
            action_id: reader(element, text, _Context(workspace, tz, now, channel_id))
        }
    return values


@dataclass(frozen=True)
class _Context:
    workspace: Workspace
    tz: ZoneInfo
    now: datetime
    channel_id_now: str | None

    def user_id(self, name: str) -> str:
        try:
            return self.workspace.user(name.strip().lstrip("@")).id
        except KeyError:
            raise ConsoleInputError(f"no user called {name.strip()!r}") from None

    def channel_id(self, name: str) -> str:
        try:
            return self.workspace.channel(name.strip().lstrip("#")).id
        except KeyError:
            raise ConsoleInputError(f"no channel called {name.strip()!r}") from None


def _text_state(element: Json, text: str | None, ctx: _Context) -> Json:
    value = element.get("initial_value") if text is None else text
    return {"type": element.get("type"), "value": value}


def _datetime_state(element: Json, text: str | None, ctx: _Context) -> Json:
    seconds = element.get("initial_date_time")
    if text is not None:
        moment = parse_time(text, now=ctx.now, tz=ctx.tz)
        if moment is None:
            raise ConsoleInputError(f"can't read {text!r} as a time")
        seconds = int(moment.timestamp())
    return {"type": "datetimepicker", "selected_date_time": seconds}


def _select_state(element: Json, text: str | None, ctx: _Context) -> Json:
    chosen = element.get("initial_option")
    if text is not None:
        chosen = next((o for o in element.get("options", []) if _option_is(o, text)), None)
        if chosen is None:
            raise ConsoleInputError(f"{text!r} is not one of the choices")
    return {"type": "static_select", "selected_option": chosen}


def _option_is(option: Json, text: str) -> bool:
    label = str(option["text"]["text"]).lower()
    return text.lower() in {label, str(option.get("value", "")).lower()}


def _users_state(element: Json, text: str | None, ctx: _Context) -> Json:
    users = element.get("initial_users") or []
    if text is not None:
        users = [ctx.user_id(name) for name in text.split(",") if name.strip()]
    return {"type": "multi_users_select", "selected_users": users}


def _conversation_state(element: Json, text: str | None, ctx: _Context) -> Json:
    chosen = element.get("initial_conversation")
    if chosen is None and element.get("default_to_current_conversation"):
        chosen = ctx.channel_id_now  # what Slack pre-selects when opened from a channel
    if text is not None:
        chosen = ctx.channel_id(text)
    return {"type": "conversations_select", "selected_conversation": chosen}


def _checkbox_state(element: Json, text: str | None, ctx: _Context) -> Json:
    selected = element.get("initial_options") or []
    if text is not None:
        selected = element.get("options", []) if text.lower() in YES else []
    return {"type": "checkboxes", "selected_options": selected}


_READERS: dict[str, Callable[[Json, str | None, _Context], Json]] = {
    "datetimepicker": _datetime_state,
    "static_select": _select_state,
    "multi_users_select": _users_state,
    "conversations_select": _conversation_state,
    "checkboxes": _checkbox_state,
}
