"""Rooms: the public room repository, always within one Slack workspace.

Writes take a room id that the caller got from a workspace-scoped lookup (or from
reserve_room); every lookup filters on the workspace, so another workspace's room is
never returned. Reservations live in `reservations.py`, rosters in `room_members.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, exists, or_
from sqlmodel import Session, col, select

from storage.models import ACTIVE, DELETED, RoomMemberRow, RoomRow
from storage.room_members import list_members, members_of, remove_members, upsert_members
from storage.room_rows import find_one, in_workspace, write_room
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from collections.abc import Collection
    from datetime import datetime

__all__ = [
    "find_room_by_acs_id",
    "find_room_by_number",
    "find_rooms_by_title",
    "get_room",
    "list_members",
    "list_rooms",
    "mark_deleted",
    "members_of",
    "remove_members",
    "set_card",
    "update_room",
    "upsert_members",
]


def get_room(session: Session, *, enterprise_id: str, team_id: str, room_id: int) -> RoomRow | None:
    return find_one(session, enterprise_id, team_id, col(RoomRow.id) == room_id)


def find_room_by_number(
    session: Session, *, enterprise_id: str, team_id: str, number: int
) -> RoomRow | None:
    return find_one(session, enterprise_id, team_id, col(RoomRow.number) == number)


def find_room_by_acs_id(
    session: Session, *, enterprise_id: str, team_id: str, acs_room_id: str
) -> RoomRow | None:
    return find_one(session, enterprise_id, team_id, col(RoomRow.acs_room_id) == acs_room_id)


def find_room_by_join_key(session: Session, *, join_key: str) -> RoomRow | None:
    """The room a join link names, in whichever workspace: the caller checks that the person
    asking belongs to it."""
    return session.exec(select(RoomRow).where(col(RoomRow.join_key) == join_key)).one_or_none()


def find_room_of_call(session: Session, *, acs_room_id: str) -> RoomRow | None:
    """The room with this ACS room ID, in whichever workspace (ACS calling events name no
    workspace): the caller checks that the workspace is installed."""
    return session.exec(
        select(RoomRow).where(col(RoomRow.acs_room_id) == acs_room_id)
    ).one_or_none()


def find_rooms_by_title(
    session: Session, *, enterprise_id: str, team_id: str, title: str
) -> list[RoomRow]:
    """Active rooms whose title equals `title` ignoring case (Unicode casefold)."""
    statement = (
        select(RoomRow)
        .where(*in_workspace(enterprise_id, team_id))
        .where(col(RoomRow.title_key) == title.casefold(), col(RoomRow.state) == ACTIVE)
        .order_by(col(RoomRow.number))
    )
    return list(session.exec(statement))


def list_rooms(
    session: Session,
    *,
    enterprise_id: str,
    team_id: str,
    states: Collection[str] = (ACTIVE,),
    involving: str | None = None,
    ending_after: datetime | None = None,
    limit: int = 100,
) -> list[RoomRow]:
    """Rooms in `states`, soonest first; `involving` keeps those a user organizes or is in."""
    statement = select(RoomRow).where(
        *in_workspace(enterprise_id, team_id), col(RoomRow.state).in_(set(states))
    )
    if involving is not None:
        statement = statement.where(_involves(involving))
    if ending_after is not None:
        statement = statement.where(
            col(RoomRow.valid_until) > require_utc(ending_after, "ending_after")
        )
    statement = statement.order_by(col(RoomRow.valid_from), col(RoomRow.number)).limit(limit)
    return list(session.exec(statement))


def _involves(slack_user_id: str) -> ColumnElement[bool]:
    is_member = exists().where(
        col(RoomMemberRow.room_id) == col(RoomRow.id),
        col(RoomMemberRow.slack_user_id) == slack_user_id,
    )
    return or_(col(RoomRow.organizer_id) == slack_user_id, is_member)


def update_room(
    session: Session,
    *,
    room_id: int,
    now: datetime,
    title: str | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    pstn_dial_out_enabled: bool | None = None,
) -> RoomRow:
    """Change the given fields (None leaves a field as it is) and bump updated_at."""
    values: dict[str, Any] = {}
    if title is not None:
        values |= {"title": title, "title_key": title.casefold()}
    if valid_from is not None:
        values["valid_from"] = require_utc(valid_from, "valid_from")
    if valid_until is not None:
        values["valid_until"] = require_utc(valid_until, "valid_until")
    if pstn_dial_out_enabled is not None:
        values["pstn_dial_out_enabled"] = pstn_dial_out_enabled
    return write_room(session, room_id, now, **values)


def set_card(
    session: Session, *, room_id: int, channel_id: str, card_ts: str, now: datetime
) -> RoomRow:
    return write_room(session, room_id, now, channel_id=channel_id, card_ts=card_ts)


def mark_deleted(session: Session, *, room_id: int, now: datetime) -> RoomRow:
    return write_room(session, room_id, now, state=DELETED)
