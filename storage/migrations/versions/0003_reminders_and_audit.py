"""Reminders due about rooms, and the audit trail.

Revision ID: 0003_reminders_and_audit
Revises: 0002_slack_platform
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003_reminders_and_audit"
down_revision: str | None = "0002_slack_platform"
branch_labels: str | None = None
depends_on: str | None = None

_STAMP = sa.DateTime(timezone=True)


def _create_reminder() -> None:
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.String(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("lead_seconds", sa.Integer(), nullable=False),
        sa.Column("due_at", _STAMP, nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("lease_owner", sa.String(), nullable=True),
        sa.Column("lease_until", _STAMP, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", _STAMP, nullable=True),
        sa.Column("delivered_to", sa.String(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_reminder_room_id_room"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint(
            "room_id",
            "kind",
            "lead_seconds",
            "due_at",
            name=op.f("uq_reminder_room_id_kind_lead_seconds_due_at"),
        ),
        sa.CheckConstraint(
            "kind IN ('expiring', 'open', 'expired')", name=op.f("ck_reminder_kind")
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'failed', 'cancelled')", name=op.f("ck_reminder_state")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_reminder_state_due_at", "reminder", ["state", "due_at"])
    op.create_index("ix_reminder_room_id", "reminder", ["room_id"])


def _create_audit_event() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.String(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("at", _STAMP, nullable=False),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("room_number", sa.Integer(), nullable=True),
        sa.Column("acs_room_id", sa.String(), nullable=True),
        sa.Column("before_json", sa.String(), nullable=True),
        sa.Column("after_json", sa.String(), nullable=True),
        sa.Column("detail_json", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.CheckConstraint(
            "outcome IN ('ok', 'denied', 'failed')", name=op.f("ck_audit_event_outcome")
        ),
        sqlite_autoincrement=True,
    )
    workspace = ["enterprise_id", "team_id"]
    op.create_index("ix_audit_event_workspace_at", "audit_event", [*workspace, "at"])
    op.create_index("ix_audit_event_workspace_action", "audit_event", [*workspace, "action"])
    op.create_index("ix_audit_event_workspace_room", "audit_event", [*workspace, "room_number"])
    op.create_index("ix_audit_event_actor_id", "audit_event", ["actor_id"])


def upgrade() -> None:
    _create_reminder()
    _create_audit_event()


def downgrade() -> None:
    op.drop_table("audit_event")
    op.drop_table("reminder")
