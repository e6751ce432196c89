from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin


def test_conversations_members_pages_with_a_cursor(slack: WebClient) -> None:
    first = slack.conversations_members(channel="C0GENERAL", limit=2)
    cursor = first["response_metadata"]["next_cursor"]

    second = slack.conversations_members(channel="C0GENERAL", limit=2, cursor=cursor)

    assert first["members"] == ["U06ANA1001", "U06BEN1002"]
    assert second["members"] == ["U06CHO1003", "U06DEV1004"]


def test_the_last_page_of_members_has_an_empty_cursor(slack: WebClient) -> None:
    # slack_sdk's iterator reuses one response object, so copy each page as it comes.
    pages = [dict(p.data) for p in slack.conversations_members(channel="C0GENERAL", limit=2)]

    assert [len(p["members"]) for p in pages] == [2, 2, 1]
    assert pages[-1]["response_metadata"]["next_cursor"] == ""


def test_a_made_up_cursor_is_refused(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.conversations_members(channel="C0GENERAL", cursor="bogus!")

    assert failure.value.response["error"] == "invalid_cursor"


def test_conversations_info_describes_the_channel(slack: WebClient) -> None:
    channel = slack.conversations_info(channel="C0DESIGN", include_num_members=True)["channel"]

    assert (channel["name"], channel["is_private"], channel["is_member"]) == ("design", False, True)
    assert channel["num_members"] == 4


def test_a_private_channel_without_the_bot_is_invisible(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.conversations_info(channel="C0LEADS")

    assert failure.value.response["error"] == "channel_not_found"


def test_conversations_open_gives_the_same_dm_each_time(slack: WebClient) -> None:
    first = slack.conversations_open(users="U06EVE1005")["channel"]["id"]
    second = slack.conversations_open(users=["U06EVE1005"])["channel"]["id"]

    assert first == second == "D06EVE1005"


def test_conversations_open_refuses_a_deactivated_user(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.conversations_open(users="U06OLD1006")

    assert failure.value.response["error"] == "user_disabled"


def test_a_membership_change_in_the_workspace_shows_at_once(
    slack: WebClient, standin: RunningStandin
) -> None:
    standin.workspace.channel("design").members.remove("U06CHO1003")

    members = slack.conversations_members(channel="C0DESIGN")["members"]

    assert "U06CHO1003" not in members
