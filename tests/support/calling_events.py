"""ACS calling events as Event Grid delivers them (Event Grid schema, the SDK model's shape:
identifiers under `communicationIdentifier`, `callDurationInSeconds`), for RoomBot's webhook."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

TYPES = {
    "started": "Microsoft.Communication.CallStarted",
    "ended": "Microsoft.Communication.CallEnded",
    "added": "Microsoft.Communication.CallParticipantAdded",
    "removed": "Microsoft.Communication.CallParticipantRemoved",
}


def identifier(raw_id: str) -> dict[str, Any]:
    return {"kind": "communicationUser", "rawId": raw_id, "communicationUser": {"id": raw_id}}


def calling_event(
    kind: str,
    *,
    room_id: str | None,
    call: str,
    at: datetime,
    starter: str,
    user: str | None = None,
    participant_id: str | None = None,
    name: str | None = None,
    duration: float | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "startedBy": {"communicationIdentifier": identifier(starter), "role": "Presenter"},
        "serverCallId": call,
        "group": {"id": "00000000-0000-0000-0000-000000000000"},
        "isTwoParty": False,
        "correlationId": str(uuid.uuid5(uuid.NAMESPACE_URL, call)),
        "isRoomsCall": room_id is not None,
    }
    if room_id is not None:
        data["room"] = {"id": room_id}
    if user is not None:
        data["user"] = {"communicationIdentifier": identifier(user), "role": "Attendee"}
        data["displayName"] = name or "Someone"
        data["participantId"] = participant_id or f"p-{user[-6:]}"
    if duration is not None:
        data["callDurationInSeconds"] = duration
    return {
        "id": event_id or str(uuid.uuid4()),
        "topic": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Communication/"
        "communicationServices/acs",
        "subject": f"call/{call}",
        "data": data,
        "eventType": TYPES[kind],
        "dataVersion": "1.0",
        "metadataVersion": "1",
        "eventTime": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }


def body(*events: dict[str, Any]) -> bytes:
    return json.dumps(list(events)).encode()
