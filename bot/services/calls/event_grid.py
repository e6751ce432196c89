"""Event Grid deliveries of ACS calling events, read into plain values (pure: stdlib only).

Two schemas reach a webhook: the Event Grid schema (`eventType`, `eventTime`, an array of events)
and CloudEvents 1.0 (`type`, `time`, `specversion`: one object, or an array when batched).
Microsoft's own examples disagree on the fields (identifiers inline or under
`communicationIdentifier`, once spelled `communicationidentifier`; `durationOfCall` or
`callDurationInSeconds`; spec examples marked "event-grid-schema" that are CloudEvents), so each
event's schema is read from its own keys, and each field from whichever documented spelling is
there. One unusable event never fails the delivery: it is counted as skipped.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

CallKind = Literal["started", "ended", "participant_added", "participant_removed"]

VALIDATION_EVENT = "Microsoft.EventGrid.SubscriptionValidationEvent"
CALL_EVENT_TYPES: dict[str, CallKind] = {
    "Microsoft.Communication.CallStarted": "started",
    "Microsoft.Communication.CallEnded": "ended",
    "Microsoft.Communication.CallParticipantAdded": "participant_added",
    "Microsoft.Communication.CallParticipantRemoved": "participant_removed",
}
# Event types are compared without regard to case, as Event Grid's own filters do.
_KINDS_BY_FOLDED_TYPE = {name.casefold(): kind for name, kind in CALL_EVENT_TYPES.items()}
_PARTICIPANT_KINDS = frozenset({"participant_added", "participant_removed"})

# RFC 3339 as .NET writes it: up to 7 fractional digits, 'Z' or an offset (a zone is required:
# guessing one for a bare time could reorder a join and a leave).
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})"
)


class BadDelivery(ValueError):
    """The body is not an Event Grid or CloudEvents delivery (→ HTTP 400)."""


@dataclass(frozen=True)
class Validation:
    """The subscription validation handshake (Event Grid schema)."""

    code: str  # data.validationCode: echo it back as {"validationResponse": code}
    url: str | None  # data.validationUrl: the manual alternative (a GET within 10 minutes)


@dataclass(frozen=True)
class CallEvent:
    """One calling event: a call started or ended, someone joined or left."""

    id: str  # the event's id: Event Grid delivers at least once, so dedupe on it
    kind: CallKind
    at: datetime  # eventTime (Event Grid) or time (CloudEvents), aware UTC
    server_call_id: str
    room_id: str | None  # data.room.id; None when absent or empty (never the all-zero group.id)
    is_rooms_call: bool  # data.isRoomsCall; False when absent
    started_by: str | None  # raw id of data.startedBy
    participant: str | None  # raw id of data.user (participant events)
    participant_id: str | None  # data.participantId: one per joined endpoint
    display_name: str | None
    role: str | None  # data.user.role for participant events, else data.startedBy.role
    duration_seconds: float | None  # callDurationInSeconds or durationOfCall (CallEnded)
    ended_by: str | None  # raw id of data.endedBy, when present


@dataclass(frozen=True)
class Delivery:
    """One POST's worth: either the validation handshake or the calling events it carried."""

    validation: Validation | None
    events: tuple[CallEvent, ...]  # the calling events, in the order delivered
    skipped: int  # other event types, or calling events too broken to use


def parse_delivery(body: bytes, content_type: str | None) -> Delivery:
    """Read a webhook body into a `Delivery`; raises `BadDelivery` only for a body that is not a
    delivery at all (not JSON, not an object or array of objects).

    `content_type` (`application/json`, `application/cloudevents+json` or
    `application/cloudevents-batch+json`) is not relied on: a single object and an array are both
    accepted under any of them, and each event's schema is read from its own keys, so a
    mislabelled delivery still parses. A subscription validation event makes the whole delivery a
    handshake (Event Grid sends it alone in its array).
    """
    del content_type  # advisory only, see above
    events: list[CallEvent] = []
    skipped = 0
    for event in _events_of(body):
        event_type, moment = _envelope(event)
        if event_type is not None and event_type.casefold() == VALIDATION_EVENT.casefold():
            validation = _validation(event)
            if validation is not None:
                return Delivery(validation=validation, events=(), skipped=0)
            skipped += 1
            continue
        kind = _KINDS_BY_FOLDED_TYPE.get(event_type.casefold()) if event_type else None
        call = _call_event(event, kind, moment) if kind is not None else None
        if call is None:
            skipped += 1
        else:
            events.append(call)
    return Delivery(validation=None, events=tuple(events), skipped=skipped)


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 / RFC 3339 timestamp with 'Z' or an offset, as aware UTC; None otherwise.
    Fractions beyond microseconds (.NET writes 7 digits) are cut, not rounded."""
    if not isinstance(value, str):
        return None
    match = _TIMESTAMP.fullmatch(value.strip())
    if match is None:
        return None
    date, clock, fraction, zone = match.groups()
    micros = (fraction or "")[:6].ljust(6, "0")
    if zone in ("Z", "z"):
        zone = "+00:00"
    elif ":" not in zone:
        zone = f"{zone[:3]}:{zone[3:]}"
    try:
        moment = datetime.fromisoformat(f"{date}T{clock}.{micros}{zone}")
    except ValueError:  # well formed but impossible, such as month 13 or hour 25
        return None
    return moment.astimezone(UTC)


def _events_of(body: bytes) -> list[dict[str, object]]:
    try:
        document: object = json.loads(body)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise BadDelivery("the body is not JSON") from error
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise BadDelivery("the body is neither an event nor an array of events")
    events: list[dict[str, object]] = []
    for index, item in enumerate(document):
        if not isinstance(item, dict):
            raise BadDelivery(f"item {index} of the array is not an event object")
        events.append(item)
    return events


def _envelope(event: dict[str, object]) -> tuple[str | None, object]:
    """The event's type and time: `eventType`/`eventTime` in the Event Grid schema,
    `type`/`time` in CloudEvents, told apart by which keys the event has."""
    if _get(event, "eventType") is not None:
        return _text(_get(event, "eventType")), _get(event, "eventTime")
    return _text(_get(event, "type")), _get(event, "time")


def _validation(event: dict[str, object]) -> Validation | None:
    data = _object(_get(event, "data"))
    code = _text(_get(data, "validationCode"))
    if code is None:
        return None
    return Validation(code=code, url=_text(_get(data, "validationUrl")))


def _call_event(event: dict[str, object], kind: CallKind, moment: object) -> CallEvent | None:
    event_id = _text(_get(event, "id"))
    data = _object(_get(event, "data"))
    server_call_id = _text(_get(data, "serverCallId"))
    at = parse_time(moment)
    if event_id is None or server_call_id is None or at is None:
        return None
    user = _object(_get(data, "user"))
    started_by = _object(_get(data, "startedBy"))
    return CallEvent(
        id=event_id,
        kind=kind,
        at=at,
        server_call_id=server_call_id,
        room_id=_text(_get(_object(_get(data, "room")), "id")),
        is_rooms_call=_flag(_get(data, "isRoomsCall")),
        started_by=_raw_id(started_by),
        participant=_raw_id(user),
        participant_id=_text(_get(data, "participantId")),
        display_name=_text(_get(data, "displayName")),
        role=_text(_get(user if kind in _PARTICIPANT_KINDS else started_by, "role")),
        duration_seconds=_seconds(data),
        ended_by=_raw_id(_object(_get(data, "endedBy"))),
    )


def _raw_id(party: dict[str, object]) -> str | None:
    """A party's raw id, wherever the examples put it: under `communicationIdentifier` (any
    case) or inline, as `rawId` or else as `communicationUser.id`."""
    identifier = _object(_get(party, "communicationIdentifier"))
    for holder in (identifier, party):
        raw_id = _text(_get(holder, "rawId"))
        if raw_id is not None:
            return raw_id
    for holder in (identifier, party):
        user_id = _text(_get(_object(_get(holder, "communicationUser")), "id"))
        if user_id is not None:
            return user_id
    return None


def _seconds(data: dict[str, object]) -> float | None:
    for name in ("callDurationInSeconds", "durationOfCall"):
        value = _get(data, name)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            continue
        try:
            seconds = float(value)
        except ValueError:
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    return None


def _flag(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().casefold() == "true")


def _get(mapping: dict[str, object], key: str) -> object:
    """`mapping[key]`, else the value of a key that differs from it only in case, else None."""
    if key in mapping:
        return mapping[key]
    folded = key.casefold()
    for name, value in mapping.items():
        if name.casefold() == folded:
            return value
    return None


def _object(value: object) -> dict[str, object]:
    """A JSON object as is; anything else as an empty one, so lookups in it find nothing."""
    return value if isinstance(value, dict) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
