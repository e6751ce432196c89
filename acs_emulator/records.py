"""Plain records the store (and the in-memory calls) hand out; times are ticks (see timefmt)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True)
class RoomRecord:
    id: str
    created_at: int
    valid_from: int
    valid_until: int
    pstn_dial_out_enabled: bool


@dataclass(frozen=True)
class IdentityRecord:
    id: str
    created_at: int
    tokens_revoked_at: int | None


@dataclass(frozen=True)
class RememberedResponse:
    """A create answered under a Repeatability-Request-Id, kept to replay it."""

    request_id: str
    fingerprint: str
    first_sent: int
    status: int
    body: bytes
    location: str | None


@dataclass(frozen=True)
class EmulatedRoom:
    """A live room as tests see it through RunningEmulator.snapshot()."""

    id: str
    created_at: datetime
    valid_from: datetime
    valid_until: datetime
    pstn_dial_out_enabled: bool
    participants: dict[str, str]  # raw id -> role, in the service's (insertion) order


@dataclass(frozen=True)
class CallParticipant:
    """One endpoint in a room call (an identity may join twice: two participants)."""

    participant_id: str
    raw_id: str
    display_name: str
    role: str


@dataclass
class Call:
    """A room call in progress (calls.Calls holds them; others get copies)."""

    server_call_id: str
    room_id: str
    correlation_id: str
    started_at: int
    started_by: CallParticipant
    participants: dict[str, CallParticipant]  # by participantId, in join order
