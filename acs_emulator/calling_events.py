"""The four ACS calling events, shaped like the SDK models and the REST spec's examples
(JOIN.md §6.1): identifiers as `communicationIdentifier {kind, rawId, communicationUser}`,
`callDurationInSeconds`, `room.id`, an all-zero `group.id`, `isRoomsCall: true`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from acs_emulator.event_grid_schema import event_envelope
from acs_emulator.timefmt import TICKS_PER_SECOND

if TYPE_CHECKING:
    from acs_emulator.records import Call, CallParticipant

PREFIX = "Microsoft.Communication."
USER_AGENT = "acs-emulator demo"
_NO_GROUP = "00000000-0000-0000-0000-000000000000"


def call_started(call: Call, ticks: int) -> dict[str, Any]:
    subject = f"call/{call.server_call_id}/startedBy/{call.started_by.raw_id}"
    return event_envelope(PREFIX + "CallStarted", subject, _common(call), ticks)


def participant_added(call: Call, who: CallParticipant, ticks: int) -> dict[str, Any]:
    subject = f"call/{call.server_call_id}/participant/{who.raw_id}"
    data = {**_participant_fields(who), **_common(call)}
    return event_envelope(PREFIX + "CallParticipantAdded", subject, data, ticks)


def participant_removed(
    call: Call, who: CallParticipant, ticks: int, reason: tuple[int, str] = (0, "Left the call")
) -> dict[str, Any]:
    """`reason`: sub-code and phrase (5317 when the room's roster dropped them)."""
    subject = f"call/{call.server_call_id}/participant/{who.raw_id}"
    data = {"reason": _reason(*reason), **_participant_fields(who), **_common(call)}
    return event_envelope(PREFIX + "CallParticipantRemoved", subject, data, ticks)


def call_ended(call: Call, last: CallParticipant, ticks: int) -> dict[str, Any]:
    """Ended by the last participant to leave (or the room's deletion, still named after them)."""
    data = {
        "reason": _reason(0, "Call ended"),
        "callDurationInSeconds": (ticks - call.started_at) / TICKS_PER_SECOND,
        "endedBy": {
            "communicationIdentifier": _identifier(last.raw_id),
            "type": "Participant",
            "name": last.display_name,
        },
        **_common(call),
    }
    return event_envelope(PREFIX + "CallEnded", f"call/{call.server_call_id}", data, ticks)


def _common(call: Call) -> dict[str, Any]:
    return {
        "startedBy": {
            "communicationIdentifier": _identifier(call.started_by.raw_id),
            "role": call.started_by.role,
        },
        "serverCallId": call.server_call_id,
        "group": {"id": _NO_GROUP},
        "room": {"id": call.room_id},
        "isTwoParty": False,
        "correlationId": call.correlation_id,
        "isRoomsCall": True,
    }


def _participant_fields(who: CallParticipant) -> dict[str, Any]:
    return {
        "user": {"communicationIdentifier": _identifier(who.raw_id), "role": who.role},
        "displayName": who.display_name,
        "participantId": who.participant_id,
        "userAgent": USER_AGENT,
    }


def _identifier(raw_id: str) -> dict[str, Any]:
    return {"kind": "communicationUser", "rawId": raw_id, "communicationUser": {"id": raw_id}}


def _reason(sub_code: int, phrase: str) -> dict[str, Any]:
    return {"code": 0, "subCode": sub_code, "phrase": phrase}
