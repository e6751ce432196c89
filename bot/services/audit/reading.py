"""Reading the audit trail: filters resolved to store terms, keyset pages, the full export.

Access is checked by AuditTrail before anything here runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from bot.services.audit.actions import actions_named
from bot.services.audit.events import AuditEvent, AuditFilters, AuditPage, Cursor, to_event
from bot.services.domain import RoomKey
from bot.services.records import find_row
from bot.services.uow import unit_of_work
from storage import audit as repo

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from bot.services.domain import Workspace
    from storage.models import AuditEventRow

EXPORT_MAX: Final = 50_000  # rows in one CSV; a bigger trail is narrowed with filters
_EXPORT_CHUNK: Final = 1000


class Reading:
    def __init__(self, engine: Engine, page_size: int) -> None:
        self._engine, self._page_size = engine, page_size

    def page(self, workspace: Workspace, filters: AuditFilters, cursor: Cursor) -> AuditPage:
        with unit_of_work(self._engine) as session:
            resolved, where = _resolve(session, workspace, filters)
            rows = self._rows(session, workspace, where, cursor, self._page_size)
            if not rows and cursor != Cursor():  # the page went (retention): start over
                rows = self._rows(session, workspace, where, Cursor(), self._page_size)
            total = repo.count_events(session, **_scope(workspace), where=where)
            newer = bool(rows) and self._any(session, workspace, where, newer_than=rows[0].id)
            older = bool(rows) and self._any(session, workspace, where, older_than=rows[-1].id)
        events = tuple(map(to_event, rows))
        return AuditPage(events, resolved, total, has_newer=newer, has_older=older)

    def _any(
        self, session: Session, workspace: Workspace, where: repo.EventFilter, **cursor: int | None
    ) -> bool:
        return bool(self._rows(session, workspace, where, Cursor(**cursor), 1))

    def latest(self, workspace: Workspace, limit: int) -> list[AuditEvent]:
        with unit_of_work(self._engine) as session:
            rows = self._rows(session, workspace, repo.EventFilter(), Cursor(), limit)
        return [to_event(row) for row in rows]

    def everything(self, workspace: Workspace, filters: AuditFilters) -> list[AuditEvent]:
        """Every matching event (up to EXPORT_MAX, the newest), read in keyset chunks."""
        rows: list[AuditEventRow] = []
        with unit_of_work(self._engine) as session:
            _resolved, where = _resolve(session, workspace, filters)
            while len(rows) < EXPORT_MAX:
                cursor = Cursor(older_than=rows[-1].id) if rows else Cursor()
                chunk = self._rows(session, workspace, where, cursor, _EXPORT_CHUNK)
                rows += chunk[: EXPORT_MAX - len(rows)]
                if len(chunk) < _EXPORT_CHUNK:
                    break
        return [to_event(row) for row in rows]

    @staticmethod
    def _rows(
        session: Session,
        workspace: Workspace,
        where: repo.EventFilter,
        cursor: Cursor,
        limit: int,
    ) -> list[AuditEventRow]:
        return repo.list_events(
            session,
            **_scope(workspace),
            where=where,
            older_than=cursor.older_than,
            newer_than=cursor.newer_than,
            limit=limit,
        )


def _scope(workspace: Workspace) -> dict[str, str]:
    return {"enterprise_id": workspace.enterprise_id, "team_id": workspace.team_id}


def _resolve(
    session: Session, workspace: Workspace, filters: AuditFilters
) -> tuple[AuditFilters, repo.EventFilter]:
    """The room as its number (a number is taken as is: the room may be long gone) and the
    action word as the actions it names; InvalidInput or RoomNotFound when they name nothing."""
    number = filters.room.number if filters.room else None
    if filters.room is not None and number is None:
        number = find_row(session, workspace, filters.room).number
    actions = actions_named(filters.action) if filters.action else ()
    room = None if number is None else RoomKey(number=number)
    resolved = AuditFilters(room, filters.people, filters.since, filters.action)
    return resolved, repo.EventFilter(number, filters.people, filters.since, actions)
