"""Join keys: each room's opaque slug for its join link (`/r/<key>`), never its ACS room ID.

Revision ID: 0005_join_keys
Revises: 0004_jobs
Create Date: 2026-12-07
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision: str = "0005_join_keys"
down_revision: str | None = "0004_jobs"
branch_labels: str | None = None
depends_on: str | None = None

# What storage.rooms gives new rooms (storage/reservations.py): 16 random bytes, URL-safe.
KEY_BYTES = 16


def upgrade() -> None:
    # No table rebuild: on SQLite, batch mode would copy the room table and drop the old one,
    # and with foreign keys on, that drop deletes every member and reminder (ON DELETE
    # CASCADE). ADD COLUMN with a default and CREATE UNIQUE INDEX alter it in place.
    op.add_column("room", sa.Column("join_key", sa.String(), nullable=False, server_default=""))
    rooms = sa.table("room", sa.column("id", sa.Integer()), sa.column("join_key", sa.String()))
    connection = op.get_bind()
    for (room_id,) in connection.execute(sa.select(rooms.c.id)).all():
        key = secrets.token_urlsafe(KEY_BYTES)
        connection.execute(rooms.update().where(rooms.c.id == room_id).values(join_key=key))
    op.create_index(op.f("uq_room_join_key"), "room", ["join_key"], unique=True)
    if connection.dialect.name == "postgresql":  # SQLite cannot drop a default in place
        op.alter_column("room", "join_key", server_default=None)


def downgrade() -> None:
    op.drop_index(op.f("uq_room_join_key"), table_name="room")
    with op.batch_alter_table("room") as room:
        room.drop_column("join_key")
