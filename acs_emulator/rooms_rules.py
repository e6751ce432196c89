"""Validation of Rooms request bodies, with the service's messages (ACS_REST.md §2.4, §2.5)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from acs_emulator.errors import bad_request, detail
from acs_emulator.timefmt import TICKS_PER_DAY, parse_iso8601
from acs_emulator.versions import COLLABORATOR_SINCE

if TYPE_CHECKING:
    from acs_emulator.records import RoomRecord

MAX_WINDOW_TICKS = 180 * TICKS_PER_DAY
ROOM_ID = re.compile(r"\d{16,18}")
_ROLES = ("Presenter", "Attendee", "Consumer")
_ACS_USER_PREFIX = "8:acs:"
_INVALID_PARTICIPANTS = "Invalid value for the Participants."
_INVALID_IDENTIFIER = "Invalid format for communication identifier."
_T = TypeVar("_T")


def check_room_id(room_id: str) -> None:
    if ROOM_ID.fullmatch(room_id) is None:
        raise bad_request("Invalid room ID length.")


@dataclass(frozen=True)
class RoomFields:
    """The scalar fields of a create or update body; None = missing or null, which means
    "use the default" on create and "leave unchanged" on update (§2.1, §2.3)."""

    valid_from: int | None
    valid_until: int | None
    pstn_dial_out_enabled: bool | None

    @classmethod
    def parse(cls, body: dict[str, Any]) -> RoomFields:
        return cls(
            _optional_time(body, "validFrom"),
            _optional_time(body, "validUntil"),
            _optional_flag(body, "pstnDialOutEnabled"),
        )

    @property
    def moves_window(self) -> bool:
        return self.valid_from is not None or self.valid_until is not None

    def applied_to(self, room: RoomRecord) -> RoomRecord:
        return replace(
            room,
            valid_from=first_set(self.valid_from, room.valid_from),
            valid_until=first_set(self.valid_until, room.valid_until),
            pstn_dial_out_enabled=first_set(self.pstn_dial_out_enabled, room.pstn_dial_out_enabled),
        )


def first_set(value: _T | None, fallback: _T) -> _T:
    return fallback if value is None else value


def _optional_time(body: dict[str, Any], key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    ticks = parse_iso8601(value) if isinstance(value, str) else None
    if ticks is None:
        raise bad_request(f"Invalid value for the {key[0].upper()}{key[1:]}.")
    return ticks


def _optional_flag(body: dict[str, Any], key: str) -> bool | None:
    value = body.get(key)
    if value is not None and not isinstance(value, bool):
        raise bad_request(f"Invalid value for the {key[0].upper()}{key[1:]}.")
    return value


def check_window(valid_from: int, valid_until: int, now: int) -> None:
    """Each broken rule gets its own details entry, as the service reports them."""
    details = []
    if valid_until < valid_from or valid_until - valid_from > MAX_WINDOW_TICKS:
        details.append(
            detail("The time range is incorrect, or larger than 180 days.", "ValidUntil")
        )
    if valid_until < now:
        details.append(detail("The time range end is in the past.", "ValidUntil"))
    if valid_from > now + MAX_WINDOW_TICKS:
        details.append(
            detail("Value is incorrect or more than 180 days in the future.", "ValidFrom")
        )
    if details:
        raise bad_request(details=details)


def participant_changes(
    body: dict[str, Any], api_version: str, *, creating: bool
) -> dict[str, str | None]:
    """raw id -> role, or None for a removal (PATCH only); raises the service's 400s, whose
    wording differs between create and PATCH (§2.5)."""
    entries = body.get("participants") or {}
    if not isinstance(entries, dict):
        raise bad_request(_INVALID_PARTICIPANTS)
    for raw_id, value in entries.items():
        if not raw_id.startswith(_ACS_USER_PREFIX) or raw_id == _ACS_USER_PREFIX:
            raise bad_request(_INVALID_IDENTIFIER if creating else _INVALID_PARTICIPANTS)
        if value is None and creating:
            raise bad_request(_INVALID_PARTICIPANTS)
    dto_name = "createRoomRequestDto" if creating else "updateParticipantsRequestDto"
    _check_roles(entries, api_version, dto_name)
    return {raw_id: None if value is None else value["role"] for raw_id, value in entries.items()}


def _check_roles(entries: dict[str, Any], api_version: str, dto_name: str) -> None:
    roles = allowed_roles(api_version)
    wrong = [
        raw_id
        for raw_id, value in entries.items()
        if value is not None and (not isinstance(value, dict) or value.get("role") not in roles)
    ]
    if wrong:
        message = f"Invalid participant role. The valid roles are: {', '.join(roles)}."
        required = detail(f"The {dto_name} field is required.", dto_name)
        raise bad_request(
            details=[required, *(detail(message, f"$.participants.{r}.role") for r in wrong)]
        )


def allowed_roles(api_version: str) -> tuple[str, ...]:
    return (*_ROLES, "Collaborator") if api_version >= COLLABORATOR_SINCE else _ROLES


def check_participant_limit(count: int, limit: int) -> None:
    if count > limit:
        message = f"The number of participants exceeds the limit of {limit}."
        raise bad_request(details=[detail(message, "Participants")])


def json_object(raw: bytes) -> dict[str, Any]:
    """The request body as an object; an empty body counts as `{}`."""
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise bad_request() from None
    if not isinstance(body, dict):
        raise bad_request()
    return body
