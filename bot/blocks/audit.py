"""The audit trail as admins see it: an ephemeral page with Next/Previous/Export, and a few
latest events in the App Home."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from bot.blocks import ids
from bot.blocks.audit_lines import event_line
from bot.blocks.audit_value import encode
from bot.blocks.kit import Json, actions, button, context, message, section
from bot.blocks.text import escape, mention, slack_date
from bot.services.audit.events import AuditEvent, AuditFilters, AuditPage, Cursor

if TYPE_CHECKING:
    from collections.abc import Sequence

HOME_HINT: Final = "Type `/room audit` to filter the trail, page through it and export it as CSV."


def audit_page_message(page: AuditPage) -> Json:
    """One page, newest first; the buttons carry the filters, so every click re-reads them."""
    heading = f"*Audit trail* · {page.total} {_events(page.total)}{_filters_text(page.filters)}"
    if not page.events:
        return message("Audit trail: nothing matches", [section(f"{heading}\nNothing matches.")])
    blocks = [
        section(heading),
        context(f"Newest first · {len(page.events)} shown"),
        *(section(event_line(event)) for event in page.events),
        actions(_buttons(page)),
    ]
    return message(f"Audit trail: {page.total} {_events(page.total)}", blocks)


def _buttons(page: AuditPage) -> list[Json]:
    first, last = page.events[0].id, page.events[-1].id
    found: list[Json] = []
    if page.has_newer:
        value = encode(page.filters, Cursor(newer_than=first))
        found.append(_button("Previous", ids.AUDIT_PREV, value, "Newer audit events"))
    if page.has_older:
        value = encode(page.filters, Cursor(older_than=last))
        found.append(_button("Next", ids.AUDIT_NEXT, value, "Older audit events"))
    label = "Send every matching event to your DM as a CSV file"
    found.append(_button("Export CSV", ids.AUDIT_EXPORT, encode(page.filters), label))
    label = "Send who was in which call (the same room, people and dates) as a CSV file"
    found.append(
        _button("Export attendance", ids.AUDIT_EXPORT_ATTENDANCE, encode(page.filters), label)
    )
    return found


def _button(text: str, action_id: str, value: str, label: str) -> Json:
    return button(text, action_id=action_id, value=value, label=label)


def _filters_text(filters: AuditFilters) -> str:
    parts = []
    if filters.room is not None:
        parts.append(f"room {escape(filters.room.describe())}")
    if filters.people:
        parts.append(", ".join(mention(p) for p in filters.people[:10]))
    if filters.since is not None:
        parts.append(f"since {slack_date(filters.since)}")
    if filters.action:
        parts.append(f"action `{escape(filters.action)}`")
    return "".join(f" · {part}" for part in parts)


def _events(count: int) -> str:
    return "event" if count == 1 else "events"


def audit_home_section(events: Sequence[AuditEvent]) -> list[Json]:
    """For an admin's App Home: the latest events, one line each."""
    if not events:
        return [context("Latest audit events: nothing recorded yet."), context(HOME_HINT)]
    lines = [section(event_line(event)) for event in events]
    return [context("Latest audit events, newest first"), *lines, context(HOME_HINT)]


def attendance_sent_text(rows: int) -> str:
    people = "attendance" if rows == 1 else "attendances"
    return f"I sent you the call attendance as a CSV file in our DM: {rows} {people}."


def export_sent_text(rows: int, *, capped: bool) -> str:
    more = " (the newest ones; narrow the filters for older events)" if capped else ""
    return f"I sent you the audit trail as a CSV file in our DM: {rows} {_events(rows)}{more}."
