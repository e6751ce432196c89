"""Convert between the SDK's loosely typed objects and RoomBot's domain types.

Both SDKs hand back timestamps as the raw JSON strings (ACS_REST.md §0.5), e.g.
`2023-10-26T16:20:41.0649871+00:00` with seven fractional digits, so parsing happens here.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from azure.communication.rooms import CommunicationUserIdentifier, RoomParticipant

from bot.services.domain import AcsParticipant, AcsRoom, Role
from bot.services.errors import AcsRequestFailed

if TYPE_CHECKING:
    from collections.abc import Mapping

# date, time, optional fraction (any length), optional zone: 'Z' or ±hh:mm / ±hhmm
_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)"
    r"(?:[.,](?P<fraction>\d+))?\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def parse_acs_time(value: object) -> datetime:
    """An aware UTC datetime from an ACS timestamp string (or a datetime, for safety)."""
    if isinstance(value, datetime):
        return _as_utc(value)
    match = _ISO.match(value.strip()) if isinstance(value, str) else None
    try:
        if match is None:
            raise ValueError("not ISO 8601")
        return _as_utc(datetime.fromisoformat(_canonical(match)))
    except ValueError:
        raise AcsRequestFailed(
            f"ACS returned a timestamp RoomBot cannot read: {value!r:.60}."
        ) from None


def _canonical(match: re.Match[str]) -> str:
    """`YYYY-MM-DDTHH:MM:SS.ffffff+HH:MM`, which every Python 3.11 fromisoformat accepts."""
    clock = match["time"] if match["time"].count(":") == 2 else match["time"] + ":00"
    # Trim to microseconds, never round up (rounding could carry into the next second).
    fraction = (match["fraction"] or "0")[:6].ljust(6, "0")
    zone = match["zone"] or "+00:00"
    zone = "+00:00" if zone.upper() == "Z" else zone
    return f"{match['date']}T{clock}.{fraction}{zone}"


def _as_utc(moment: datetime) -> datetime:
    # The service works in UTC; a naive value can only mean UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def room_from_sdk(room: Any) -> AcsRoom:
    """`CommunicationRoom` (raw strings) -> `AcsRoom` (aware datetimes)."""
    return AcsRoom(
        id=str(room.id),
        created_at=parse_acs_time(room.created_at),
        valid_from=parse_acs_time(room.valid_from),
        valid_until=parse_acs_time(room.valid_until),
        pstn_dial_out_enabled=bool(room.pstn_dial_out_enabled),
    )


def participant_from_sdk(participant: Any) -> AcsParticipant:
    """`RoomParticipant` -> `AcsParticipant`, keeping the raw `8:acs:` id."""
    raw_role = getattr(participant.role, "value", participant.role)
    role = Role.parse(str(raw_role))
    if role is None:
        raise AcsRequestFailed(
            f"ACS reported a participant role RoomBot does not know: {raw_role!r:.40}."
        )
    return AcsParticipant(acs_id=str(participant.communication_identifier.raw_id), role=role)


def participants_to_sdk(participants: Mapping[str, Role]) -> list[RoomParticipant]:
    return [
        RoomParticipant(communication_identifier=user(acs_id), role=role.value)
        for acs_id, role in participants.items()
    ]


def user(acs_id: str) -> CommunicationUserIdentifier:
    """Raw ids pass through untouched, so the service (not the SDK) judges a bad id."""
    return CommunicationUserIdentifier(acs_id, raw_id=acs_id)
