"""Slack user -> ACS identity, one per user per workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from storage.dialects import upsert_insert
from storage.models import AcsIdentityRow
from storage.timestamps import require_utc

if TYPE_CHECKING:
    from collections.abc import Collection
    from datetime import datetime


def find_identity(
    session: Session, *, enterprise_id: str, team_id: str, slack_user_id: str
) -> AcsIdentityRow | None:
    statement = select(AcsIdentityRow).where(
        col(AcsIdentityRow.enterprise_id) == enterprise_id,
        col(AcsIdentityRow.team_id) == team_id,
        col(AcsIdentityRow.slack_user_id) == slack_user_id,
    )
    return session.exec(statement).one_or_none()


def find_identities(
    session: Session, *, enterprise_id: str, team_id: str, slack_user_ids: Collection[str]
) -> dict[str, AcsIdentityRow]:
    """The known identities among `slack_user_ids`, keyed by Slack user; unknown ones absent."""
    if not slack_user_ids:
        return {}
    statement = select(AcsIdentityRow).where(
        col(AcsIdentityRow.enterprise_id) == enterprise_id,
        col(AcsIdentityRow.team_id) == team_id,
        col(AcsIdentityRow.slack_user_id).in_(set(slack_user_ids)),
    )
    return {row.slack_user_id: row for row in session.exec(statement)}


def claim_identity(
    session: Session,
    *,
    enterprise_id: str,
    team_id: str,
    slack_user_id: str,
    acs_user_id: str,
    now: datetime,
) -> AcsIdentityRow:
    """Store `acs_user_id` for the user unless one is stored already; return the stored row.

    When another request got there first, the returned row carries the winner's ACS id: the
    caller compares it with its own and deletes the spare identity.
    """
    workspace_user = {
        "enterprise_id": enterprise_id,
        "team_id": team_id,
        "slack_user_id": slack_user_id,
    }
    insert = upsert_insert(session, AcsIdentityRow).values(
        **workspace_user, acs_user_id=acs_user_id, created_at=require_utc(now, "now")
    )
    # Only the per-user constraint is expected to conflict; a clash on acs_user_id (one ACS
    # user for two Slack users) is a bug and must surface as an IntegrityError.
    session.exec(insert.on_conflict_do_nothing(index_elements=list(workspace_user)))
    row = find_identity(session, **workspace_user)
    if row is None:
        raise RuntimeError("the identity vanished between insert and select")
    return row


def find_identity_by_acs_id(session: Session, *, acs_user_id: str) -> AcsIdentityRow | None:
    statement = select(AcsIdentityRow).where(col(AcsIdentityRow.acs_user_id) == acs_user_id)
    return session.exec(statement).one_or_none()
