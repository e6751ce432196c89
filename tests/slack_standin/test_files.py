from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin


def test_files_upload_v2_stores_the_bytes(slack: WebClient, standin: RunningStandin) -> None:
    uploaded = slack.files_upload_v2(
        channel="C0DESIGN", content="id,start\n1,9am\n", filename="rooms.csv", title="Rooms"
    )

    stored = standin.file(uploaded["file"]["id"])
    assert stored is not None
    assert (stored.data, stored.title) == (b"id,start\n1,9am\n", "Rooms")


def test_files_upload_v2_shares_the_file_into_the_channel(
    slack: WebClient, standin: RunningStandin
) -> None:
    slack.files_upload_v2(
        channel="C0DESIGN", content="x", filename="a.txt", initial_comment="Audit export"
    )

    [message] = standin.messages("design")
    assert message["text"] == "Audit export"
    assert message["files"][0]["name"] == "a.txt"


def test_completing_an_upload_whose_bytes_never_arrived_fails(slack: WebClient) -> None:
    reserved = slack.files_getUploadURLExternal(filename="a.txt", length=3)

    with pytest.raises(SlackApiError) as failure:
        slack.files_completeUploadExternal(files=[{"id": reserved["file_id"], "title": "A"}])

    assert failure.value.response["error"] == "file_not_found"
