from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin


def test_users_info_gives_the_time_zone(slack: WebClient) -> None:
    user = slack.users_info(user="U06CHO1003")["user"]

    assert (user["tz"], user["tz_offset"], user["tz_label"]) == (
        "Asia/Tokyo",
        32400,
        "Japan Standard Time",
    )


def test_users_info_gives_the_email_only_with_users_read_email(
    slack: WebClient, standin: RunningStandin
) -> None:
    hidden = slack.users_info(user="U06CHO1003")["user"]["profile"]
    standin.workspace.scopes.append("users:read.email")

    shown = slack.users_info(user="U06CHO1003")["user"]["profile"]

    assert ("email" in hidden, shown["email"]) == (False, "cho@demo.example")


def test_users_info_marks_the_workspace_admin(slack: WebClient) -> None:
    ana = slack.users_info(user="U06ANA1001")["user"]
    ben = slack.users_info(user="U06BEN1002")["user"]

    assert (ana["is_admin"], ben["is_admin"], ben["is_owner"]) == (True, False, False)


def test_users_info_shows_a_deactivated_user_as_deleted(slack: WebClient) -> None:
    assert slack.users_info(user="U06OLD1006")["user"]["deleted"] is True


def test_users_info_shows_bots_as_bots(slack: WebClient) -> None:
    helper = slack.users_info(user="U06HLP1007")["user"]

    assert helper["is_bot"] is True
    assert helper["profile"]["bot_id"] == "B06HLP1007"


def test_users_info_leaves_out_a_missing_time_zone(
    slack: WebClient, standin: RunningStandin
) -> None:
    standin.workspace.user("dev").tz = None

    assert "tz" not in slack.users_info(user="U06DEV1004")["user"]


def test_users_info_for_an_unknown_user_fails_with_user_not_found(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.users_info(user="U0NOBODY")

    assert failure.value.response["error"] == "user_not_found"


def test_users_list_pages_through_everyone(slack: WebClient) -> None:
    ids = [m["id"] for page in slack.users_list(limit=3) for m in page["members"]]

    assert len(ids) == 8
    assert "U06RMB1000" in ids


def test_usergroups_users_list_gives_the_group_members(slack: WebClient) -> None:
    users = slack.usergroups_users_list(usergroup="S0DESIGN")["users"]

    assert users == ["U06ANA1001", "U06BEN1002", "U06CHO1003"]


def test_an_unknown_usergroup_fails_with_no_such_subteam(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.usergroups_users_list(usergroup="S0NOPE")

    assert failure.value.response["error"] == "no_such_subteam"
