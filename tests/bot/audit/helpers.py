"""What the audit tests share: people, workspaces, a movable clock, and the store's view."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from bot.services.audit.events import AuditEvent, to_event
from bot.services.domain import Workspace
from storage import audit
from storage.session import session_scope
from tests.support.slack_stack import Stack

ANA, BEN, CHO, EVE = "U06ANA1001", "U06BEN1002", "U06CHO1003", "U06EVE1005"
AUDIT_CHANNEL = "C0AUDIT"
DEMO = Workspace("", "T0DEMO")
OTHER = Workspace("", "T0OTHER")
START = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
_EVENT_LINE = re.compile(r"· `(?P<action>[a-z_.]+)`(?: · #(?P<room>[0-9]+))?")


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


def stored(engine: Engine, workspace: Workspace = DEMO) -> list[AuditEvent]:
    """Every event the store holds for `workspace`, oldest first."""
    with session_scope(engine) as session:
        rows = audit.list_events(
            session, enterprise_id=workspace.enterprise_id, team_id=workspace.team_id, limit=10_000
        )
    return [to_event(row) for row in reversed(rows)]


def recorded(engine: Engine, action: str, workspace: Workspace = DEMO) -> list[AuditEvent]:
    return [event for event in stored(engine, workspace) if event.action == action]


def only(engine: Engine, action: str) -> AuditEvent:
    """The one event recorded for `action`; fails when there are none or several."""
    found = recorded(engine, action)
    assert len(found) == 1, [(e.action, e.outcome) for e in found]
    return found[0]


def audit_page(stack: Stack, user: str = "ana") -> dict[str, Any]:
    """The newest audit page `user` was shown (an empty one when there is none)."""
    pages = [m for m in stack.standin.ephemerals(user) if str(m.get("text")).startswith("Audit")]
    return pages[-1] if pages else {}


def shown(stack: Stack, user: str = "ana") -> list[tuple[str, int | None]]:
    """The (action, room) of each event on the audit page `user` was shown last."""
    found = []
    for block in audit_page(stack, user).get("blocks", []):
        match = _EVENT_LINE.search(str((block.get("text") or {}).get("text", "")))
        if match:
            found.append((match["action"], int(match["room"]) if match["room"] else None))
    return found


def buttons(stack: Stack, user: str = "ana") -> list[str]:
    blocks = audit_page(stack, user).get("blocks", [])
    return [str(e["text"]["text"]) for b in blocks if b["type"] == "actions" for e in b["elements"]]
