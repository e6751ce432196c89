"""RoomBot's tables. Every row belongs to one Slack workspace: (enterprise_id, team_id).

enterprise_id is "" rather than NULL outside Enterprise Grid, because SQL unique constraints
treat NULLs as distinct and would let one user get two identities.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Final

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from storage.timestamps import UtcDateTime

# Named constraints let later migrations ALTER or DROP them by name on both dialects
# (SQLite batch mode needs the names; PostgreSQL would otherwise invent its own).
NAMING_CONVENTION: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CREATING: Final = "creating"  # reserved here, the ACS create is in flight
ACTIVE: Final = "active"
DELETED: Final = "deleted"
ROOM_STATES: Final = (CREATING, ACTIVE, DELETED)
ROLES: Final = ("Presenter", "Attendee", "Consumer", "Collaborator")


def new_join_key() -> str:
    """A room's join key: 16 random bytes, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class StorageTable(
    SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))
):
    """Base of RoomBot's tables: a metadata of our own, so the convention touches no one else."""


metadata: Final = StorageTable.metadata


class AcsIdentityRow(StorageTable, table=True):
    """The ACS user a Slack user calls as; one per user per workspace."""

    __tablename__ = "acs_identity"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", "slack_user_id"),
        UniqueConstraint("acs_user_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str
    team_id: str
    slack_user_id: str
    acs_user_id: str
    created_at: datetime = Field(sa_type=UtcDateTime)


class RoomRow(StorageTable, table=True):
    """A room RoomBot created (or is creating) in ACS, with its Slack-side details."""

    __tablename__ = "room"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", "number"),
        UniqueConstraint("enterprise_id", "team_id", "creation_key"),
        UniqueConstraint("acs_room_id"),
        Index("uq_room_join_key", "join_key", unique=True),
        CheckConstraint(_one_of("state", ROOM_STATES), name="state"),
        Index("ix_room_workspace_state", "enterprise_id", "team_id", "state"),
        Index("ix_room_workspace_title_key", "enterprise_id", "team_id", "title_key"),
        Index("ix_room_valid_until", "valid_until"),
        # SQLite would otherwise reuse the id of a discarded last row; PostgreSQL never does,
        # and a stale id must never name someone else's new room.
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str
    team_id: str
    number: int  # the short reference users type ("#12"), unique per workspace
    creation_key: str  # one per create request, so a double submit finds the first room
    acs_room_id: str | None = None  # None until ACS has created the room
    # The room's join link is <ROOMBOT_PUBLIC_URL>/r/<join_key>: random, so a link reveals
    # nothing (not the ACS room ID, not the number) and cannot be guessed from another.
    join_key: str = Field(default_factory=new_join_key)
    title: str
    # title.casefold(): SQL lower() is ASCII-only on SQLite, so match in Python's terms.
    title_key: str
    organizer_id: str
    channel_id: str | None = None
    card_ts: str | None = None  # the room card's message ts in channel_id
    valid_from: datetime = Field(sa_type=UtcDateTime)
    valid_until: datetime = Field(sa_type=UtcDateTime)
    pstn_dial_out_enabled: bool
    state: str
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    # Changes to a room take turns across threads, processes and instances: the one changing
    # it holds the turn (a lease, so a crashed holder's turn runs out) from before it reads
    # the room until its store write, ACS call included, without a transaction held open.
    turn_owner: str | None = None
    turn_until: datetime | None = Field(default=None, sa_type=UtcDateTime)


class RoomMemberRow(StorageTable, table=True):
    """One roster entry; the roster's order is insertion order (id)."""

    __tablename__ = "room_member"
    __table_args__ = (
        UniqueConstraint("room_id", "slack_user_id"),
        CheckConstraint(_one_of("role", ROLES), name="role"),
        Index("ix_room_member_slack_user_id", "slack_user_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="room.id", ondelete="CASCADE")
    slack_user_id: str
    acs_user_id: str
    role: str
    added_at: datetime = Field(sa_type=UtcDateTime)


class SlackEventRow(StorageTable, table=True):
    """An Events API delivery already taken on: Slack retries carry the same event_id, and
    several instances may receive them, so the claim is a unique insert."""

    __tablename__ = "slack_event"

    event_id: str = Field(primary_key=True)
    enterprise_id: str
    team_id: str
    received_at: datetime = Field(sa_type=UtcDateTime, index=True)


REMINDER_KINDS: Final = ("expiring", "open", "expired")
REMINDER_STATES: Final = ("pending", "sent", "failed", "cancelled")
OUTCOMES: Final = ("ok", "denied", "failed")


class ReminderRow(StorageTable, table=True):
    """A notice due about a room: before it expires, when it opens, when it has expired.

    Workers claim due rows with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL); a lease that
    runs out lets another worker finish the job of one that died.
    """

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("room_id", "kind", "lead_seconds", "due_at"),
        CheckConstraint(_one_of("kind", REMINDER_KINDS), name="kind"),
        CheckConstraint(_one_of("state", REMINDER_STATES), name="state"),
        # The due query filters on state and orders by due_at: this index keeps a poll's
        # cost independent of how many rooms and past reminders exist.
        Index("ix_reminder_state_due_at", "state", "due_at"),
        Index("ix_reminder_room_id", "room_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str
    team_id: str
    room_id: int = Field(foreign_key="room.id", ondelete="CASCADE")
    kind: str
    lead_seconds: int  # how long before valid_until; 0 for "open" and "expired"
    due_at: datetime = Field(sa_type=UtcDateTime)
    state: str
    lease_owner: str | None = None
    lease_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    attempts: int = 0
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    delivered_to: str | None = None  # channel id, or the organizer's DM on fallback
    last_error: str | None = None
    created_at: datetime = Field(sa_type=UtcDateTime)


class AuditEventRow(StorageTable, table=True):
    """One attempted operation. Append-only: the code has no update or delete path for it
    other than retention, which removes whole rows past their age."""

    __tablename__ = "audit_event"
    __table_args__ = (
        CheckConstraint(_one_of("outcome", OUTCOMES), name="outcome"),
        Index("ix_audit_event_workspace_at", "enterprise_id", "team_id", "at"),
        Index("ix_audit_event_workspace_action", "enterprise_id", "team_id", "action"),
        Index("ix_audit_event_workspace_room", "enterprise_id", "team_id", "room_number"),
        Index("ix_audit_event_actor_id", "actor_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str
    team_id: str
    at: datetime = Field(sa_type=UtcDateTime)
    actor_id: str | None = None  # None: RoomBot itself (reminders, reconciliation)
    action: str
    outcome: str
    reason: str | None = None
    room_number: int | None = None
    acs_room_id: str | None = None
    before_json: str | None = None  # JSON of the values before the change
    after_json: str | None = None
    detail_json: str | None = None


JOB_STATES: Final = ("pending", "done")


class JobRow(StorageTable, table=True):
    """Work a Slack request asked for, recorded before the request was acknowledged.

    `key` is what makes the request unique (trigger, event, view and hash): a retry or a replay
    finds the job and adds nothing. Workers claim pending jobs with a lease, as reminders are
    claimed; a worker that dies leaves its lease to run out, and any instance takes the job.
    `body` is the request's body as Bolt parsed it, without Slack's verification token."""

    __tablename__ = "job"
    __table_args__ = (
        UniqueConstraint("key"),
        CheckConstraint(_one_of("state", JOB_STATES), name="state"),
        Index("ix_job_state_id", "state", "id"),  # the claim's scan: pending, oldest first
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str
    enterprise_id: str
    team_id: str
    function: str  # the name of the Bolt lazy listener function to run
    body: str
    state: str
    lease_owner: str | None = None
    lease_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    attempts: int = 0
    created_at: datetime = Field(sa_type=UtcDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Exactly once. A job's room changes are counted in the transactions that store them, and
    # what a change computed (an absolute window, JSON by change number) is kept before ACS is
    # called: a re-run after a crash skips the changes already stored and makes the others
    # exactly as planned. Its replies are counted too: a re-run sends only the ones after them.
    planned: str | None = None
    changes_applied: int = 0
    answers_sent: int = 0


# --- tables slack_sdk's SQLAlchemy installation and OAuth-state stores use ------------------
# They mirror slack_sdk's definitions column for column (storage may not import slack_sdk; a
# test compares the two) so that our migrations create them and those stores work on our
# database. Their timestamps are naive, as slack_sdk writes them.

INSTALLATIONS: Final = "slack_installations"
BOTS: Final = "slack_bots"
OAUTH_STATES: Final = "slack_oauth_states"


def _workspace_columns() -> list[Column[object]]:
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
    ]


def _bot_columns() -> list[Column[object]]:
    return [
        Column("bot_token", String(200)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", String(200)),
        Column("bot_token_expires_at", DateTime),
    ]


def _install_tail() -> list[Column[object]]:
    return [
        Column("is_enterprise_install", Boolean, default=False, nullable=False),
        Column("installed_at", DateTime, nullable=False, server_default=func.now()),
    ]


slack_installations: Final = Table(
    INSTALLATIONS,
    metadata,
    *_workspace_columns(),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    *_bot_columns(),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("token_type", String(32)),
    *_install_tail(),
    Index(
        f"{INSTALLATIONS}_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"
    ),
)

slack_bots: Final = Table(
    BOTS,
    metadata,
    *_workspace_columns(),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    *_bot_columns(),
    *_install_tail(),
    Index(f"{BOTS}_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states: Final = Table(
    OAUTH_STATES,
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)


class RoomCallRow(StorageTable, table=True):
    """One call in a room, as ACS's calling events (Event Grid) tell it, and how far Slack has
    been told: the card's live line and the Slack Calls API call.

    Events may come late, twice or out of order, so every column is filled by whichever event
    knows it first. `version` counts the events that changed what Slack shows; the live-call
    loop claims calls whose `synced_version` is behind (a lease, as reminders are claimed) and
    not before `sync_due_at`, which keeps a card to one update per second however many people
    join at once."""

    __tablename__ = "room_call"
    __table_args__ = (
        UniqueConstraint("server_call_id"),
        Index("ix_room_call_room_id", "room_id", "id"),
        Index("ix_room_call_behind", "synced_version", "version", "sync_due_at"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    enterprise_id: str
    team_id: str
    room_id: int = Field(foreign_key="room.id", ondelete="CASCADE")
    server_call_id: str
    started_at: datetime = Field(sa_type=UtcDateTime)  # CallStarted's time, else the earliest
    started_by: str | None = None  # the ACS raw id that started it, when CallStarted said
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    duration_seconds: float | None = None
    version: int = 0
    synced_version: int = 0
    sync_due_at: datetime = Field(sa_type=UtcDateTime)
    lease_owner: str | None = None
    lease_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    attempts: int = 0
    slack_call_id: str | None = None  # calls.add's id, once Slack has the call
    slack_call_state: str = "none"  # none, added, ended, or unavailable (no calls:write)
    call_block_ts: str | None = None  # the call block's message in the card's thread
    card_updated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str | None = None


class CallAttendeeRow(StorageTable, table=True):
    """One person's time in a call: joined and left (either may arrive first), who they are in
    Slack when the identity map knows them, and whether the Slack call lists them yet."""

    __tablename__ = "call_attendee"
    __table_args__ = (
        UniqueConstraint("call_id", "participant_key"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="room_call.id", ondelete="CASCADE")
    participant_key: str  # ACS's participantId, else the raw id
    raw_id: str
    slack_user_id: str | None = None
    display_name: str | None = None
    role: str | None = None
    joined_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    in_slack_call: bool = False
