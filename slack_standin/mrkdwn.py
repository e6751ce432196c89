"""Slack mrkdwn's special `<…>` sequences, spelled out as a reader sees them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slack_standin.dates import format_date

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

Names = Callable[[str], str]
_SEQUENCE = re.compile(r"<([^<>]+)>")
_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))  # &amp; last: "&amp;lt;" is "&lt;"
_BROADCASTS = {"here", "channel", "everyone"}


@dataclass(frozen=True)
class Reader:
    """Who is looking: how ids become names, their time zone, and what time it is for them."""

    names: Names
    zone: ZoneInfo
    now: float | None = None


def render_mrkdwn(text: str, reader: Reader) -> str:
    """Mentions, channels, user groups, dates and links made readable; *bold* etc. kept."""
    return decode_entities(_SEQUENCE.sub(lambda m: _expand(m[1], reader), text))


def decode_entities(text: str) -> str:
    """Slack shows `&amp;`, `&lt;` and `&gt;` as the characters, in mrkdwn and plain_text."""
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text


def _expand(inner: str, reader: Reader) -> str:
    body, _, label = inner.partition("|")
    if body[:1] in ("@", "#"):
        return body[0] + _named(body[1:], label.lstrip(body[0]), reader)
    if body.startswith("!"):
        return _special(body[1:], label, reader)
    if body.startswith("mailto:"):
        return label or body.removeprefix("mailto:")
    return f"{label} ({body})" if label and label != body else body


def _special(command: str, label: str, reader: Reader) -> str:
    kind, _, rest = command.partition("^")
    if kind == "subteam":
        return "@" + _named(rest, label.lstrip("@"), reader)
    if kind == "date":
        return _date(rest, label, reader)
    if kind in _BROADCASTS:
        return f"@{kind}"
    return label or f"<!{command}>"


def _named(object_id: str, label: str, reader: Reader) -> str:
    # Slack shows the current name, not the label written into the message.
    name = reader.names(object_id)
    return label if name == object_id and label else name


def _date(spec: str, fallback: str, reader: Reader) -> str:
    """`<!date^1700000000^{date_short_pretty} at {time}^optional_link|fallback>`."""
    unix, _, rest = spec.partition("^")
    template = rest.split("^")[0]
    if not unix.lstrip("-").isdigit() or not template:
        return fallback
    return format_date(int(unix), template, reader.zone, reader.now)
