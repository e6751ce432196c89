"""Jobs: the work each acknowledged Slack request asked for, claimed by workers under a lease;
and turns on rooms, so that changes to one room apply one after another.

Revision ID: 0004_jobs
Revises: 0003_reminders_and_audit
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004_jobs"
down_revision: str | None = "0003_reminders_and_audit"
branch_labels: str | None = None
depends_on: str | None = None

_STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("enterprise_id", sa.String(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("function", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("lease_owner", sa.String(), nullable=True),
        sa.Column("lease_until", _STAMP, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.Column("finished_at", _STAMP, nullable=True),
        sa.Column("planned", sa.String(), nullable=True),
        sa.Column("changes_applied", sa.Integer(), nullable=False),
        sa.Column("answers_sent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
        sa.UniqueConstraint("key", name=op.f("uq_job_key")),
        sa.CheckConstraint("state IN ('pending', 'done')", name=op.f("ck_job_state")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_job_state_id", "job", ["state", "id"])
    with op.batch_alter_table("room") as room:
        room.add_column(sa.Column("turn_owner", sa.String(), nullable=True))
        room.add_column(sa.Column("turn_until", _STAMP, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("room") as room:
        room.drop_column("turn_until")
        room.drop_column("turn_owner")
    op.drop_index("ix_job_state_id", table_name="job")
    op.drop_table("job")
