"""Event Grid schema events as the emulated ACS resource publishes them: the envelope, its time
format, and the subscription validation event a new webhook receives first."""

from __future__ import annotations

import uuid
from typing import Any

from acs_emulator.timefmt import ticks_to_datetime

TOPIC = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator"
    "/providers/Microsoft.Communication/communicationServices/acs-emulator"
)
SUBSCRIPTION_NAME = "ROOMBOT-EMULATOR"  # Event Grid sends subscription names upper-cased
VALIDATION_EVENT = "Microsoft.EventGrid.SubscriptionValidationEvent"


def event_envelope(
    event_type: str, subject: str, data: dict[str, Any], ticks: int, data_version: str = "1.0"
) -> dict[str, Any]:
    """An Event Grid schema event from the emulated resource; `ticks` is its eventTime."""
    return {
        "id": str(uuid.uuid4()),
        "topic": TOPIC,
        "subject": subject,
        "data": data,
        "eventType": event_type,
        "eventTime": event_time(ticks),
        "dataVersion": data_version,
        "metadataVersion": "1",
    }


def event_time(ticks: int) -> str:
    """ISO 8601 UTC with seven fraction digits and "Z", as Event Grid prints it."""
    whole = ticks_to_datetime(ticks).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{whole}.{ticks % 10_000_000:07d}Z"


def validation_event(code: str, ticks: int) -> dict[str, Any]:
    """What Event Grid sends a new webhook subscription. The validationUrl (manual validation
    by GET) is not served: the emulator accepts only the synchronous answer."""
    data = {
        "validationCode": code,
        "validationUrl": "https://acs-emulator.invalid/eventsubscriptions/"
        f"{SUBSCRIPTION_NAME}/validate?id={code}",
    }
    return event_envelope(VALIDATION_EVENT, "", data, ticks, data_version="2")
