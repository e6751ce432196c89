"""Block Kit interactive elements as one-line text: what it is, what it holds, its action_id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_standin.dates import format_date
from slack_standin.mrkdwn import Reader, decode_entities, render_mrkdwn

Json = Mapping[str, Any]


def text_of(obj: Json | None, reader: Reader) -> str:
    """A composition text object: mrkdwn expanded, plain_text with its entities decoded."""
    if not obj:
        return ""
    text = str(obj.get("text", ""))
    return render_mrkdwn(text, reader) if obj.get("type") == "mrkdwn" else decode_entities(text)


def describe(element: Json, reader: Reader) -> str:
    """`[Extend +1h] (extend_room)` for buttons; `<static_select: …> (pick)` for the rest."""
    kind = str(element.get("type", "?"))
    action = f" ({element['action_id']})" if element.get("action_id") else ""
    if kind == "button":
        url = f" -> {element['url']}" if element.get("url") else ""
        return f"[{text_of(element.get('text'), reader)}]{action}{url}"
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    if kind in ("mrkdwn", "plain_text"):
        return text_of(element, reader)
    return f"<{summary(element, reader)}>{action}"


def summary(element: Json, reader: Reader) -> str:
    """The element type, its current value (or placeholder) and its choices."""
    parts = [str(element.get("type", "?"))]
    value = initial_value(element, reader)
    if value:
        parts.append(f"= {value}")
    elif element.get("placeholder"):
        parts.append(f"({text_of(element['placeholder'], reader)})")
    choices = option_labels(element, reader)
    if choices:
        parts.append("choices: " + " | ".join(choices))
    return " ".join(parts)


def initial_value(element: Json, reader: Reader) -> str:
    kind = str(element.get("type", ""))
    if kind.endswith("users_select"):
        ids = element.get("initial_users") or [element.get("initial_user")]
        return ", ".join("@" + reader.names(i) for i in ids if i)
    if kind.endswith(("conversations_select", "channels_select")):
        ids = element.get("initial_conversations") or element.get("initial_channels") or []
        ids = ids or [element.get("initial_conversation") or element.get("initial_channel")]
        return ", ".join("#" + reader.names(i) for i in ids if i)
    if kind == "datetimepicker" and element.get("initial_date_time") is not None:
        return format_date(int(element["initial_date_time"]), "{date_short} {time}", reader.zone)
    return _simple_initial(element, reader)


def _simple_initial(element: Json, reader: Reader) -> str:
    for key in ("initial_value", "initial_date", "initial_time"):
        if element.get(key) not in (None, ""):
            value = str(element[key])
            return f'"{value}"' if key == "initial_value" else value
    picked = element.get("initial_options") or [element.get("initial_option")]
    return ", ".join(text_of(o.get("text"), reader) for o in picked if o)


def option_labels(element: Json, reader: Reader) -> list[str]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return [text_of(o.get("text"), reader) for o in options]
