"""What the audit trail holds and answers with: events, filters, pages and the CSV export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from bot.services.attempts import Outcome
from bot.services.domain import Role, RoomDetails, Workspace

if TYPE_CHECKING:
    from bot.services.domain import RoomKey
    from storage.models import AuditEventRow

Values = Mapping[str, Any]

CSV_HEADER: Final = (
    "id",
    "at",
    "enterprise_id",
    "team_id",
    "actor",
    "action",
    "outcome",
    "reason",
    "room",
    "acs_room_id",
    "before",
    "after",
    "detail",
)
SYSTEM_ACTOR: Final = "system"  # how the CSV names RoomBot itself
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditEvent:
    """One record. `actor_id` None is RoomBot itself; `before`/`after` are room snapshots."""

    id: int
    workspace: Workspace
    at: datetime
    actor_id: str | None
    action: str
    outcome: Outcome
    reason: str | None = None
    room_number: int | None = None
    acs_room_id: str | None = None
    before: Values | None = None
    after: Values | None = None
    detail: Values = field(default_factory=dict)


@dataclass(frozen=True)
class AuditFilters:
    """What an admin asked for. `action` is the word typed (see audit_actions.actions_named)."""

    room: RoomKey | None = None
    people: tuple[str, ...] = ()
    since: datetime | None = None
    action: str | None = None


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: below `older_than` (Next) or above `newer_than` (Previous)."""

    older_than: int | None = None
    newer_than: int | None = None


@dataclass(frozen=True)
class AuditPage:
    """Newest first. `filters` name the room by number, so buttons can carry them."""

    events: tuple[AuditEvent, ...]
    filters: AuditFilters
    total: int
    has_newer: bool
    has_older: bool


def described(filters: AuditFilters) -> dict[str, str]:
    """The filters as short strings, for the record of a read or an export."""
    described = {
        "room": filters.room.describe() if filters.room else "",
        "people": ",".join(filters.people),
        "since": filters.since.isoformat() if filters.since else "",
        "action": filters.action or "",
    }
    return {key: value for key, value in described.items() if value}


def snapshot(room: RoomDetails | None) -> dict[str, Any] | None:
    """The fields of a room that matter to an auditor, as JSON-ready values."""
    if room is None:
        return None
    roster = {role.value: [m.slack_user_id for m in room.members_with(role)] for role in Role}
    return {
        "title": room.title,
        "valid_from": room.valid_from.astimezone(UTC).isoformat(),
        "valid_until": room.valid_until.astimezone(UTC).isoformat(),
        "pstn_dial_out_enabled": room.pstn_dial_out_enabled,
        "state": room.state.value,
        "roster": {role: ids for role, ids in roster.items() if ids},
    }


def people_changed(before: RoomDetails | None, after: RoomDetails | None) -> str:
    """`U1:Attendee,U2` for whoever a change put in a room, moved, or took out (no role)."""
    was = {m.slack_user_id: m.role for m in before.members} if before else {}
    now = {m.slack_user_id: m.role for m in after.members} if after else {}
    placed = [f"{user}:{role.value}" for user, role in now.items() if was.get(user) is not role]
    gone = [user for user in was if user not in now and after is not None]
    return ",".join(placed + gone)


def to_json(values: Values | None) -> str | None:
    return None if values is None else json.dumps(values, sort_keys=True, default=str)


def _from_json(text: str | None) -> Values | None:
    return None if text is None else dict(json.loads(text))


def to_event(row: AuditEventRow) -> AuditEvent:
    assert row.id is not None  # rows read from the store always have one
    return AuditEvent(
        id=row.id,
        workspace=Workspace(row.enterprise_id, row.team_id),
        at=row.at,
        actor_id=row.actor_id,
        action=row.action,
        outcome=Outcome(row.outcome),
        reason=row.reason,
        room_number=row.room_number,
        acs_room_id=row.acs_room_id,
        before=_from_json(row.before_json),
        after=_from_json(row.after_json),
        detail=_from_json(row.detail_json) or {},
    )


def csv_row(event: AuditEvent) -> tuple[str, ...]:
    cells = (
        str(event.id),
        event.at.astimezone(UTC).isoformat(),
        event.workspace.enterprise_id,
        event.workspace.team_id,
        event.actor_id or SYSTEM_ACTOR,
        event.action,
        event.outcome.value,
        event.reason or "",
        "" if event.room_number is None else str(event.room_number),
        event.acs_room_id or "",
        to_json(event.before) or "",
        to_json(event.after) or "",
        (to_json(event.detail) if event.detail else None) or "",
    )
    return tuple(inert(cell) for cell in cells)


def inert(cell: str) -> str:
    # A spreadsheet would run a cell starting with "=" as a formula; a quote keeps it text.
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def export_table(events: Sequence[AuditEvent]) -> list[tuple[str, ...]]:
    """The header, then one row per event, oldest first (as a log reads)."""
    return [CSV_HEADER, *(csv_row(event) for event in sorted(events, key=lambda e: e.id))]


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()
