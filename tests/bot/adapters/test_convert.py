"""ACS timestamps and SDK models become aware datetimes and domain types."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from azure.communication.rooms import CommunicationRoom, RoomParticipant

from bot.adapters.convert import (
    parse_acs_time,
    participant_from_sdk,
    participants_to_sdk,
    room_from_sdk,
)
from bot.services.domain import AcsParticipant, Role
from bot.services.errors import AcsRequestFailed

ACS_ID = "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081"


def test_seven_fractional_digits_are_trimmed_to_microseconds() -> None:
    parsed = parse_acs_time("2023-10-26T16:20:41.0649871+00:00")
    assert parsed == datetime(2023, 10, 26, 16, 20, 41, 64987, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-10-26T16:20:41Z", datetime(2023, 10, 26, 16, 20, 41, tzinfo=UTC)),
        ("2023-10-26T16:20:41.5z", datetime(2023, 10, 26, 16, 20, 41, 500000, tzinfo=UTC)),
        ("2023-10-26T18:20:41+02:00", datetime(2023, 10, 26, 16, 20, 41, tzinfo=UTC)),
        ("2023-10-26T18:20:41+0200", datetime(2023, 10, 26, 16, 20, 41, tzinfo=UTC)),
        ("2023-10-26 16:20:41", datetime(2023, 10, 26, 16, 20, 41, tzinfo=UTC)),
        (
            " 2023-10-26T16:20:41.123456789Z ",
            datetime(2023, 10, 26, 16, 20, 41, 123456, tzinfo=UTC),
        ),
    ],
)
def test_timestamp_variants_become_the_same_utc_instant(text: str, expected: datetime) -> None:
    assert parse_acs_time(text) == expected


def test_parsed_timestamps_are_in_utc() -> None:
    assert parse_acs_time("2023-10-26T18:20:41+02:00").utcoffset() == timedelta(0)


def test_an_aware_datetime_is_converted_to_utc() -> None:
    moment = datetime(2023, 1, 1, 2, 0, tzinfo=timezone(timedelta(hours=2)))
    assert parse_acs_time(moment) == datetime(2023, 1, 1, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", ["yesterday", "", None, 1698337241, "2023-13-45T00:00:00Z"])
def test_an_unreadable_timestamp_is_a_domain_error(value: object) -> None:
    with pytest.raises(AcsRequestFailed, match="timestamp"):
        parse_acs_time(value)


def test_a_room_from_the_sdk_has_aware_datetimes() -> None:
    room = room_from_sdk(
        CommunicationRoom(
            {
                "id": "99117812428622880",
                "createdAt": "2023-06-26T05:46:17.8159131+00:00",
                "validFrom": "2023-06-30T00:00:00+00:00",
                "validUntil": "2023-07-30T00:00:00Z",
                "pstnDialOutEnabled": True,
            }
        )
    )
    assert room.valid_until == datetime(2023, 7, 30, tzinfo=UTC)
    assert room.created_at.tzinfo is UTC
    assert room.pstn_dial_out_enabled is True


def test_a_listed_participant_keeps_its_raw_id_and_role() -> None:
    sdk_participant = RoomParticipant({"rawId": ACS_ID, "role": "Collaborator"})
    assert participant_from_sdk(sdk_participant) == AcsParticipant(ACS_ID, Role.COLLABORATOR)


def test_an_unknown_role_from_acs_is_a_domain_error() -> None:
    with pytest.raises(AcsRequestFailed, match="role"):
        participant_from_sdk(RoomParticipant({"rawId": ACS_ID, "role": "Kafka"}))


def test_participants_go_to_the_sdk_keyed_by_the_unchanged_raw_id() -> None:
    (sdk_participant,) = participants_to_sdk({"wrong_mri": Role.PRESENTER})
    assert sdk_participant.communication_identifier.raw_id == "wrong_mri"
    assert sdk_participant.role == "Presenter"
