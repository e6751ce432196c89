"""Room calls: each call ACS's calling events report in a room, who came and went, and how far
Slack (the card, the Calls API call) has been told.

Revision ID: 0006_room_calls
Revises: 0005_join_keys
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006_room_calls"
down_revision: str | None = "0005_join_keys"
branch_labels: str | None = None
depends_on: str | None = None

_STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "room_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.String(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("server_call_id", sa.String(), nullable=False),
        sa.Column("started_at", _STAMP, nullable=False),
        sa.Column("started_by", sa.String(), nullable=True),
        sa.Column("ended_at", _STAMP, nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("synced_version", sa.Integer(), nullable=False),
        sa.Column("sync_due_at", _STAMP, nullable=False),
        sa.Column("lease_owner", sa.String(), nullable=True),
        sa.Column("lease_until", _STAMP, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("slack_call_id", sa.String(), nullable=True),
        sa.Column("slack_call_state", sa.String(), nullable=False),
        sa.Column("call_block_ts", sa.String(), nullable=True),
        sa.Column("card_updated_at", _STAMP, nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_room_call_room_id_room"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_call")),
        sa.UniqueConstraint("server_call_id", name=op.f("uq_room_call_server_call_id")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_room_call_room_id", "room_call", ["room_id", "id"])
    op.create_index(
        "ix_room_call_behind", "room_call", ["synced_version", "version", "sync_due_at"]
    )
    op.create_table(
        "call_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("participant_key", sa.String(), nullable=False),
        sa.Column("raw_id", sa.String(), nullable=False),
        sa.Column("slack_user_id", sa.String(), nullable=True),
        sa.Column("display_name", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("joined_at", _STAMP, nullable=True),
        sa.Column("left_at", _STAMP, nullable=True),
        sa.Column("in_slack_call", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["room_call.id"],
            name=op.f("fk_call_attendee_call_id_room_call"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_attendee")),
        sa.UniqueConstraint(
            "call_id", "participant_key", name=op.f("uq_call_attendee_call_id_participant_key")
        ),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("call_attendee")
    op.drop_index("ix_room_call_behind", table_name="room_call")
    op.drop_index("ix_room_call_room_id", table_name="room_call")
    op.drop_table("room_call")
