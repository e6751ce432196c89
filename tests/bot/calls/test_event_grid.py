"""The Event Grid parser against Microsoft's documented examples (fixtures/SOURCES.md names each
one's source) and against the broken and unusual deliveries a webhook must survive."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.services.calls.event_grid import (
    BadDelivery,
    CallEvent,
    Delivery,
    Validation,
    parse_delivery,
    parse_time,
)

FIXTURES = Path(__file__).parent / "fixtures"
EG = "application/json"
CE = "application/cloudevents+json"
CE_BATCH = "application/cloudevents-batch+json"

# The Learn page's examples: identifiers inline, durationOfCall, a rooms call.
DOCS_STARTER = "8:acs:bc360ba8-d29b-4ef2-b698-769ebef85521_0000000c-1fb9-4878-07fd-0848220077e1"
DOCS_LEAVER = "8:acs:bc360ba8-d29b-4ef2-b698-769ebef85521_0000000c-1fb9-27cc-07fd-0848220077d8"
DOCS_LONG_CALL_ID = (
    "aHR0cHM6Ly9jb252LWRldi0yMS5jb252LWRldi5za3lwZS5uZXQ6NDQzL2NvbnYvbVQ4NnVfempBMG05QVM4VnRvSWFr"
    "dz9pPTAmZT02Mzc2Nzc3MTc2MDAwMjgyMzA"
)
# The REST spec's examples: communicationIdentifier, callDurationInSeconds.
SPEC_USER = "8:acs:d9ff4983-39e7-4420-8d54-f6354ed06ccd_7a668e62-08f4-4ac1-b29e-f01010f57475"
SPEC_OTHER = "8:acs:fc0d8c38-b794-4ae5-850c-ad9c8b9e02b9_752c851d-11dd-411d-bfd7-8d1de9aef16b"
SPEC_EVENT_ID = "02272459-badb-4e2e-b538-4cb8a2f71da6"
SPEC_ROOM = "055d13d6-8161-43c8-af88-2110373e1e4a"
SPEC_TIME = datetime(2021, 2, 19, 0, 25, 59, 943666, tzinfo=UTC)


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def only_event(delivery: Delivery) -> CallEvent:
    assert delivery.validation is None
    assert delivery.skipped == 0
    assert len(delivery.events) == 1
    return delivery.events[0]


def call(event_id: str = "e1", **data: object) -> dict[str, object]:
    """A minimal Event Grid schema CallStarted, for the cases the examples do not show."""
    return {
        "id": event_id,
        "eventType": "Microsoft.Communication.CallStarted",
        "eventTime": "2024-05-03T10:02:03Z",
        "subject": "call/c1",
        "dataVersion": "1.0",
        "data": {"serverCallId": "c1", **data},
    }


def body(value: object) -> bytes:
    return json.dumps(value).encode()


# The Learn page examples (Event Grid schema, arrays).


def test_docs_call_started() -> None:
    event = only_event(parse_delivery(fixture("docs_call_started.json"), EG))
    assert event == CallEvent(
        id="a8bcd8a3-12d7-46ba-8cde-f6d0bda8feeb",
        kind="started",
        at=datetime(2021, 9, 22, 17, 2, 38, 690585, tzinfo=UTC),
        server_call_id="{serverCallId}",
        room_id="{roomId}",
        is_rooms_call=True,
        started_by=DOCS_STARTER,
        participant=None,
        participant_id=None,
        display_name=None,
        role="{role}",
        duration_seconds=None,
        ended_by=None,
    )


def test_docs_call_ended_reads_duration_of_call() -> None:
    event = only_event(parse_delivery(fixture("docs_call_ended.json"), EG))
    assert event.id == "530183db-987b-4a3a-b6c1-3391bab12864"
    assert event.kind == "ended"
    assert event.at == datetime(2021, 9, 22, 17, 3, 12, 614300, tzinfo=UTC)
    assert event.duration_seconds == pytest.approx(49.728617199999995)
    assert event.started_by == DOCS_STARTER
    assert event.room_id == "{roomId}"
    assert event.is_rooms_call is True
    assert event.ended_by is None


def test_docs_participant_added() -> None:
    event = only_event(parse_delivery(fixture("docs_call_participant_added.json"), EG))
    assert event.id == "615adcbd-23b2-4563-aba7-9d1b424d3d38"
    assert event.kind == "participant_added"
    assert event.at == datetime(2021, 9, 22, 17, 2, 39, 284331, tzinfo=UTC)
    assert event.participant == DOCS_STARTER
    assert event.participant_id == "041e3b8a-1cce-4ebf-b587-131312c39410"
    assert event.display_name == "Sharif Edge"
    assert event.role == "{role}"
    assert event.room_id == "{roomId}"


def test_docs_participant_removed() -> None:
    event = only_event(parse_delivery(fixture("docs_call_participant_removed.json"), EG))
    assert event.id == "7b2307f3-57ec-4257-85a1-8ce654534ea9"
    assert event.kind == "participant_removed"
    assert event.at == datetime(2021, 9, 22, 17, 28, 41, 149765, tzinfo=UTC)
    assert event.server_call_id == DOCS_LONG_CALL_ID
    assert event.participant == DOCS_LEAVER
    assert event.started_by == DOCS_STARTER
    assert event.participant_id == "750a1442-3156-4914-94d2-62cf73796833"
    assert event.display_name == "Sharif Chrome"


def test_docs_recording_event_is_skipped() -> None:
    delivery = parse_delivery(fixture("docs_recording_file_status_updated.json"), EG)
    assert delivery == Delivery(validation=None, events=(), skipped=1)


# The REST spec examples (single objects in the CloudEvents shape, in both folders).


def test_spec_call_started_keeps_room_and_ignores_group() -> None:
    event = only_event(parse_delivery(fixture("spec_egs_call_started.json"), EG))
    assert event == CallEvent(
        id=SPEC_EVENT_ID,
        kind="started",
        at=SPEC_TIME,
        server_call_id="Y3NVcmw",
        room_id=SPEC_ROOM,
        is_rooms_call=False,
        started_by=SPEC_USER,
        participant=None,
        participant_id=None,
        display_name=None,
        role="UserRole",
        duration_seconds=None,
        ended_by=None,
    )


def test_spec_call_ended_reads_lower_case_communicationidentifier() -> None:
    event = only_event(parse_delivery(fixture("spec_egs_call_ended.json"), EG))
    assert event.kind == "ended"
    assert event.at == SPEC_TIME
    assert event.duration_seconds == 10.0
    assert event.ended_by == SPEC_OTHER
    assert event.started_by == SPEC_OTHER
    assert event.room_id is None  # this example has only a group
    assert event.role is None


def test_spec_participant_added_without_roles() -> None:
    event = only_event(parse_delivery(fixture("spec_egs_call_participant_added.json"), EG))
    assert event.kind == "participant_added"
    assert event.participant == SPEC_USER
    assert event.participant_id == "participant1"
    assert event.display_name == "displayName1"
    assert event.role is None  # user has no role; the starter's is not borrowed
    assert event.room_id is None
    assert event.is_rooms_call is False


def test_spec_participant_removed() -> None:
    event = only_event(parse_delivery(fixture("spec_egs_call_participant_removed.json"), EG))
    assert event.kind == "participant_removed"
    assert event.id == SPEC_EVENT_ID
    assert event.server_call_id == "Y3NVcmw"
    assert event.participant == SPEC_USER
    assert event.role == "UserRole"
    assert event.room_id == SPEC_ROOM


def test_spec_cloud_events_single() -> None:
    event = only_event(parse_delivery(fixture("spec_ces_call_participant_added.json"), CE))
    assert event.kind == "participant_added"
    assert event.at == SPEC_TIME
    assert event.participant == SPEC_USER
    assert event.role == "UserRole"
    assert event.room_id == SPEC_ROOM


def test_spec_cloud_events_batch_keeps_order() -> None:
    batch = b"[" + fixture("spec_ces_call_participant_added.json")
    batch += b"," + fixture("spec_ces_call_ended.json") + b"]"
    delivery = parse_delivery(batch, CE_BATCH)
    assert [event.kind for event in delivery.events] == ["participant_added", "ended"]
    ended = delivery.events[1]
    assert ended.duration_seconds == 10.0
    assert ended.ended_by == SPEC_USER
    assert ended.room_id == SPEC_ROOM
    assert delivery.skipped == 0


# The validation handshake.


def test_validation_event() -> None:
    delivery = parse_delivery(fixture("validation_event.json"), EG)
    assert delivery == Delivery(
        validation=Validation(
            code="512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
            url=(
                "https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/myeventsub/validate"
                "?id=0000000000-0000-0000-0000-00000000000000&t=2022-10-28T04:23:35.1981776Z"
                "&apiVersion=2018-05-01-preview&token=1A1A1A1A"
            ),
        ),
        events=(),
        skipped=0,
    )


def test_validation_without_url_or_code() -> None:
    event = {"id": "v", "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent"}
    with_code = parse_delivery(body([{**event, "data": {"validationCode": "abc"}}]), EG)
    assert with_code.validation == Validation(code="abc", url=None)
    without = parse_delivery(body([{**event, "data": {}}]), EG)
    assert without == Delivery(validation=None, events=(), skipped=1)


# Mixed and broken deliveries.


def test_broken_and_foreign_events_are_counted_among_good_ones() -> None:
    events = [
        call("good-1"),
        call("no-call-id", serverCallId=None),
        {**call("bad-time"), "eventTime": "yesterday"},
        {**call("naive-time"), "eventTime": "2024-05-03T10:02:03"},
        {k: v for k, v in call().items() if k != "id"},
        {**call("no-data"), "data": "not an object"},
        {"id": "x", "eventType": "Microsoft.Storage.BlobCreated", "data": {}},
        {"id": "y", "subject": "neither schema"},
        call("good-2"),
    ]
    delivery = parse_delivery(body(events), EG)
    assert [event.id for event in delivery.events] == ["good-1", "good-2"]
    assert delivery.skipped == 7
    assert delivery.validation is None


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"{", b"\xff\xfe\x00junk", b"42", b'"text"', b"null", b"[1]", b"[{}, []]"],
)
def test_not_a_delivery(raw: bytes) -> None:
    with pytest.raises(BadDelivery):
        parse_delivery(raw, EG)


def test_deeply_nested_json_is_a_bad_delivery_not_a_crash() -> None:
    with pytest.raises(BadDelivery):
        parse_delivery(b"[" * 100_000, EG)


def test_empty_array_is_an_empty_delivery() -> None:
    assert parse_delivery(b"[]", None) == Delivery(validation=None, events=(), skipped=0)


# Field tolerance.


def test_no_room_means_no_room_id_and_not_a_rooms_call() -> None:
    event = only_event(parse_delivery(body([call(group={"id": "0" * 8})]), EG))
    assert event.room_id is None
    assert event.is_rooms_call is False
    empty = only_event(parse_delivery(body([call(room={"id": ""}, isRoomsCall=True)]), EG))
    assert empty.room_id is None
    assert empty.is_rooms_call is True


@pytest.mark.parametrize(
    ("party", "expected"),
    [
        ({"communicationIdentifier": {"rawId": "8:acs:a"}}, "8:acs:a"),
        ({"communicationidentifier": {"rawId": "8:acs:b"}}, "8:acs:b"),
        ({"rawId": "8:acs:c", "communicationUser": {"id": "8:acs:other"}}, "8:acs:c"),
        ({"communicationIdentifier": {"communicationUser": {"id": "8:acs:d"}}}, "8:acs:d"),
        ({"communicationUser": {"id": "8:acs:e"}}, "8:acs:e"),
        ({"RAWID": "8:acs:f"}, "8:acs:f"),
        ({"rawId": ""}, None),
        ("8:acs:not-an-object", None),
    ],
)
def test_identifier_spellings(party: object, expected: str | None) -> None:
    event = only_event(parse_delivery(body([call(startedBy=party)]), EG))
    assert event.started_by == expected


def test_keys_are_matched_without_regard_to_case() -> None:
    event = {
        "id": "e",
        "eventType": "microsoft.communication.callparticipantadded",
        "eventTime": "2024-05-03T10:02:03Z",
        "data": {
            "ServerCallId": "c9",
            "Room": {"Id": "r9"},
            "isroomscall": True,
            "User": {"CommunicationIdentifier": {"RawId": "8:acs:u"}, "Role": "Presenter"},
            "DisplayName": "Ann",
            "participantID": "p9",
        },
    }
    parsed = only_event(parse_delivery(body(event), EG))
    assert (parsed.kind, parsed.server_call_id, parsed.room_id) == ("participant_added", "c9", "r9")
    assert (parsed.participant, parsed.role, parsed.display_name) == ("8:acs:u", "Presenter", "Ann")
    assert parsed.participant_id == "p9"
    assert parsed.is_rooms_call is True


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"callDurationInSeconds": 10}, 10.0),
        ({"durationOfCall": 49.5}, 49.5),
        ({"callDurationInSeconds": "12.25"}, 12.25),
        ({"callDurationInSeconds": None, "durationOfCall": 3}, 3.0),
        ({"callDurationInSeconds": True}, None),
        ({"callDurationInSeconds": -1}, None),
        ({"callDurationInSeconds": "soon"}, None),
        ({}, None),
    ],
)
def test_duration_spellings(data: dict[str, object], expected: float | None) -> None:
    ended = {**call(**data), "eventType": "Microsoft.Communication.CallEnded"}
    assert only_event(parse_delivery(body([ended]), EG)).duration_seconds == expected


def test_cloud_events_detected_by_keys_whatever_the_header() -> None:
    event = {
        "specversion": "1.0",
        "id": "ce1",
        "type": "Microsoft.Communication.CallEnded",
        "source": "/subscriptions/s",
        "time": "2024-05-03T10:02:03.1234567+02:00",
        "data": {"serverCallId": "c1", "callDurationInSeconds": 5},
    }
    for content_type in (EG, CE, CE_BATCH, None):
        for shape in (event, [event]):
            parsed = only_event(parse_delivery(body(shape), content_type))
            assert parsed.at == datetime(2024, 5, 3, 8, 2, 3, 123456, tzinfo=UTC)
            assert parsed.duration_seconds == 5.0


# Timestamps.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-03T10:02:03.1234567Z", datetime(2024, 5, 3, 10, 2, 3, 123456, tzinfo=UTC)),
        ("2024-05-03T10:02:03.1Z", datetime(2024, 5, 3, 10, 2, 3, 100000, tzinfo=UTC)),
        ("2024-05-03T10:02:03Z", datetime(2024, 5, 3, 10, 2, 3, tzinfo=UTC)),
        ("2024-05-03t10:02:03z", datetime(2024, 5, 3, 10, 2, 3, tzinfo=UTC)),
        ("2024-05-03T10:02:03.999999999-05:30", datetime(2024, 5, 3, 15, 32, 3, 999999, UTC)),
        ("2024-05-03T10:02:03+0100", datetime(2024, 5, 3, 9, 2, 3, tzinfo=UTC)),
        ("2024-05-03T10:02:03", None),
        ("2024-13-03T10:02:03Z", None),
        ("2024-05-03", None),
        ("", None),
        (1714730523, None),
    ],
)
def test_parse_time(text: object, expected: datetime | None) -> None:
    parsed = parse_time(text)
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == timedelta(0)
        assert parsed.tzinfo is UTC
