"""One audit event as one mrkdwn line: when, who, what, outcome, and what changed.

Snapshots and details hold user text (titles, reasons): everything is escaped or shown
through `mention`, which escapes anything that is not a Slack id.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from bot.blocks.text import escape, mention, one_line, safe, slack_date, truncate
from bot.services.attempts import Outcome

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from bot.services.audit.events import AuditEvent

LINE_MAX: Final = 1000  # a page holds ten of them, well within a section's 3000
PEOPLE_SHOWN: Final = 8
_OUTCOME_MARK: Final = {
    Outcome.OK: ":white_check_mark:",
    Outcome.DENIED: ":no_entry:",
    Outcome.FAILED: ":x:",
}
_DATE: Final = "{date_short} {time}"
# acs_id: long and only useful in the CSV, which has it; via: said after the actor instead
_NOT_SHOWN: Final = frozenset({"acs_id", "via"})


def event_line(event: AuditEvent) -> str:
    """`✅ Nov 22 09:00 · @ana · room.extended · #12 · window … → …`"""
    who = mention(event.actor_id) if event.actor_id else "RoomBot"
    if (event.detail or {}).get("via") == "workflow":
        who += " via workflow"
    room = f" · #{event.room_number}" if event.room_number is not None else ""
    head = f"{_OUTCOME_MARK[event.outcome]} {slack_date(event.at, _DATE)} · {who}"
    head += f" · `{escape(event.action)}`{room}"
    if event.outcome is not Outcome.OK:
        head += f" · {event.outcome.value}: {safe(one_line(event.reason or ''), 300)}"
    said = "; ".join(what_changed(event))
    return truncate(f"{head} · {said}" if said else head, LINE_MAX)


def what_changed(event: AuditEvent) -> list[str]:
    before, after = event.before, event.after
    if after is not None and before is None:
        return [_created(after)]
    if before is not None and after is not None:
        return list(_differences(before, after)) or ["no change"]
    return list(_detail(event.detail))


def _created(room: Mapping[str, Any]) -> str:
    people = sum(len(ids) for ids in (room.get("roster") or {}).values())
    pstn = ", PSTN on" if room.get("pstn_dial_out_enabled") else ""
    return f"“{_title(room)}” {_window(room)}, {people} people{pstn}"


def _differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[str]:
    if before.get("title") != after.get("title"):
        yield f"title “{_title(before)}” → “{_title(after)}”"
    yield from _window_change(before, after)
    if before.get("pstn_dial_out_enabled") != after.get("pstn_dial_out_enabled"):
        yield f"PSTN {_on_off(before)} → {_on_off(after)}"
    if before.get("state") != after.get("state"):
        yield f"{escape(str(before.get('state')))} → {escape(str(after.get('state')))}"
    yield from _roster_changes(_roles(before), _roles(after))


def _window_change(before: Mapping[str, Any], after: Mapping[str, Any]) -> Iterator[str]:
    moved = [
        (name, _when(before, key), _when(after, key))
        for name, key in (("start", "valid_from"), ("end", "valid_until"))
        if _when(before, key) != _when(after, key)
    ]
    if len(moved) == 2:
        yield f"window {_window(before)} → {_window(after)}"
    elif moved:
        name, was, now = moved[0]
        yield f"{name} {was} → {now}"


def _roster_changes(before: dict[str, str], after: dict[str, str]) -> Iterator[str]:
    added = [f"{mention(u)} as {escape(r)}" for u, r in after.items() if u not in before]
    removed = [mention(u) for u in before if u not in after]
    moved = [
        f"{mention(u)} {escape(before[u])} → {escape(r)}"
        for u, r in after.items()
        if u in before and before[u] != r
    ]
    for sign, people in (("+", added), ("−", removed), ("", moved)):
        if people:
            yield sign + _some(people)


def _detail(detail: Mapping[str, Any]) -> Iterator[str]:
    for key, value in sorted(detail.items()):
        if key in _NOT_SHOWN:
            continue
        if key in {"people", "slack_user"}:
            shown = [_person(part) for part in str(value).split(",") if part]
            yield f"{escape(key)}: {_some(shown)}"
        else:
            yield f"{escape(key)}: {safe(one_line(str(value)), 120)}"


def _person(text: str) -> str:
    """`U123` or `U123:Attendee`, as the use cases write people into a detail."""
    user, _, role = text.partition(":")
    return f"{mention(user)} as {escape(role)}" if role else mention(user)


def _some(items: list[str]) -> str:
    extra = len(items) - PEOPLE_SHOWN
    return ", ".join(items[:PEOPLE_SHOWN]) + (f" and {extra} more" if extra > 0 else "")


def _roles(room: Mapping[str, Any]) -> dict[str, str]:
    roster = room.get("roster") or {}
    return {user: str(role) for role, users in roster.items() for user in users}


def _title(room: Mapping[str, Any]) -> str:
    return safe(one_line(str(room.get("title") or "")), 80)


def _window(room: Mapping[str, Any]) -> str:
    return f"{_when(room, 'valid_from')} – {_when(room, 'valid_until')}"


def _when(room: Mapping[str, Any], key: str) -> str:
    value = room.get(key)
    try:
        return slack_date(datetime.fromisoformat(str(value)), _DATE)
    except ValueError:
        return "?"


def _on_off(room: Mapping[str, Any]) -> str:
    return "on" if room.get("pstn_dial_out_enabled") else "off"
