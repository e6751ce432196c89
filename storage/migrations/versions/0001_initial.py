"""Identities, rooms and their members.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Written by hand. Names follow storage.models.NAMING_CONVENTION and are wrapped in op.f()
# so that convention, which Alembic applies here too, leaves them as written.


def _workspace_columns() -> list[sa.Column[str]]:
    return [
        sa.Column("enterprise_id", sa.String(), nullable=False),
        sa.Column("team_id", sa.String(), nullable=False),
    ]


def _create_acs_identity() -> None:
    op.create_table(
        "acs_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        *_workspace_columns(),
        sa.Column("slack_user_id", sa.String(), nullable=False),
        sa.Column("acs_user_id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acs_identity")),
        sa.UniqueConstraint(
            "enterprise_id",
            "team_id",
            "slack_user_id",
            name=op.f("uq_acs_identity_enterprise_id_team_id_slack_user_id"),
        ),
        sa.UniqueConstraint("acs_user_id", name=op.f("uq_acs_identity_acs_user_id")),
        sqlite_autoincrement=True,
    )


def _create_room() -> None:
    op.create_table(
        "room",
        sa.Column("id", sa.Integer(), nullable=False),
        *_workspace_columns(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("creation_key", sa.String(), nullable=False),
        sa.Column("acs_room_id", sa.String(), nullable=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("title_key", sa.String(), nullable=False),
        sa.Column("organizer_id", sa.String(), nullable=False),
        sa.Column("channel_id", sa.String(), nullable=True),
        sa.Column("card_ts", sa.String(), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pstn_dial_out_enabled", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room")),
        sa.UniqueConstraint(
            "enterprise_id", "team_id", "number", name=op.f("uq_room_enterprise_id_team_id_number")
        ),
        sa.UniqueConstraint(
            "enterprise_id",
            "team_id",
            "creation_key",
            name=op.f("uq_room_enterprise_id_team_id_creation_key"),
        ),
        sa.UniqueConstraint("acs_room_id", name=op.f("uq_room_acs_room_id")),
        sa.CheckConstraint(
            "state IN ('creating', 'active', 'deleted')", name=op.f("ck_room_state")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_room_workspace_state"), "room", ["enterprise_id", "team_id", "state"])
    op.create_index(
        op.f("ix_room_workspace_title_key"), "room", ["enterprise_id", "team_id", "title_key"]
    )
    op.create_index(op.f("ix_room_valid_until"), "room", ["valid_until"])


def _create_room_member() -> None:
    op.create_table(
        "room_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(), nullable=False),
        sa.Column("acs_user_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_member")),
        sa.ForeignKeyConstraint(
            ["room_id"], ["room.id"], name=op.f("fk_room_member_room_id_room"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint(
            "room_id", "slack_user_id", name=op.f("uq_room_member_room_id_slack_user_id")
        ),
        sa.CheckConstraint(
            "role IN ('Presenter', 'Attendee', 'Consumer', 'Collaborator')",
            name=op.f("ck_room_member_role"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_room_member_slack_user_id"), "room_member", ["slack_user_id"])


def upgrade() -> None:
    _create_acs_identity()
    _create_room()
    _create_room_member()


def downgrade() -> None:
    op.drop_table("room_member")
    op.drop_table("room")
    op.drop_table("acs_identity")
