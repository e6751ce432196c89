from __future__ import annotations

import json
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin


def test_auth_test_names_the_bot_user_and_team(slack: WebClient) -> None:
    response = slack.auth_test()

    assert (response["team_id"], response["user_id"], response["bot_id"]) == (
        "T0DEMO",
        "U06RMB1000",
        "B06RMB1000",
    )
    assert response["url"] == "https://democo.slack.com/"


def test_auth_test_sends_the_granted_scopes_in_a_header(slack: WebClient) -> None:
    scopes = slack.auth_test().headers["x-oauth-scopes"].split(",")

    assert {"chat:write", "commands", "users:read"} <= set(scopes)


def test_an_unknown_token_is_refused_with_invalid_auth(standin: RunningStandin) -> None:
    intruder = WebClient(token="xoxb-not-ours", base_url=standin.base_url)

    with pytest.raises(SlackApiError) as failure:
        intruder.auth_test()

    assert failure.value.response["error"] == "invalid_auth"


def test_a_call_without_a_token_is_refused_with_not_authed(standin: RunningStandin) -> None:
    anonymous = WebClient(base_url=standin.base_url)

    with pytest.raises(SlackApiError) as failure:
        anonymous.auth_test()

    assert failure.value.response["error"] == "not_authed"


def test_a_token_form_field_is_accepted_like_the_header(standin: RunningStandin) -> None:
    body = f"token={standin.bot_token}".encode()
    request = urllib.request.Request(standin.base_url + "auth.test", data=body)  # noqa: S310

    with urllib.request.urlopen(request) as reply:  # noqa: S310 - http on loopback
        answer = json.loads(reply.read())

    assert answer["ok"] is True


def test_an_unknown_method_answers_unknown_method(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.api_call("rooms.teleport")

    assert failure.value.response["error"] == "unknown_method"


def test_a_revoked_token_stops_working(standin: RunningStandin, slack: WebClient) -> None:
    standin.revoke_token(standin.bot_token)

    with pytest.raises(SlackApiError) as failure:
        slack.auth_test()

    assert failure.value.response["error"] == "invalid_auth"


def test_oauth_code_exchange_returns_an_installation(standin: RunningStandin) -> None:
    client = WebClient(base_url=standin.base_url)

    install = client.oauth_v2_access(client_id="111.222", client_secret="shh", code="abc")

    assert install["team"] == {"id": "T0DEMO", "name": "Demo Co"}
    assert install["enterprise"] is None
    assert install["is_enterprise_install"] is False
    assert install["bot_user_id"] == "U06RMB1000"
    assert install["authed_user"]["id"] == "U06ANA1001"
    assert install["access_token"].startswith("xoxb-")


def test_the_installed_bot_token_can_call_the_api(standin: RunningStandin) -> None:
    client = WebClient(base_url=standin.base_url)
    install = client.oauth_v2_access(client_id="111.222", client_secret="shh", code="abc")

    installed = WebClient(token=install["access_token"], base_url=standin.base_url)

    assert installed.auth_test()["team_id"] == "T0DEMO"


def test_an_oauth_code_works_only_once(standin: RunningStandin) -> None:
    client = WebClient(base_url=standin.base_url)
    client.oauth_v2_access(client_id="111.222", client_secret="shh", code="abc")

    with pytest.raises(SlackApiError) as failure:
        client.oauth_v2_access(client_id="111.222", client_secret="shh", code="abc")

    assert failure.value.response["error"] == "invalid_code"


def test_a_refresh_token_grant_rotates_both_tokens(standin: RunningStandin) -> None:
    client = WebClient(base_url=standin.base_url)
    first = client.oauth_v2_access(client_id="111.222", client_secret="shh", code="abc")

    rotated = client.oauth_v2_access(
        client_id="111.222",
        client_secret="shh",
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )

    assert rotated["access_token"] != first["access_token"]
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["expires_in"] == 43200


def test_a_spent_refresh_token_is_refused(standin: RunningStandin) -> None:
    client = WebClient(base_url=standin.base_url)
    first = client.oauth_v2_access(client_id="111.222", client_secret="shh", code="abc")
    grant = {"client_id": "111.222", "client_secret": "shh", "grant_type": "refresh_token"}
    client.oauth_v2_access(**grant, refresh_token=first["refresh_token"])

    with pytest.raises(SlackApiError) as failure:
        client.oauth_v2_access(**grant, refresh_token=first["refresh_token"])

    assert failure.value.response["error"] == "invalid_refresh_token"


def test_oauth_secrets_never_reach_the_record(standin: RunningStandin) -> None:
    client = WebClient(base_url=standin.base_url)

    client.oauth_v2_access(client_id="111.222", client_secret="shh", code="abc")

    assert standin.calls("oauth.v2.access")[0].args["client_secret"] == "(redacted)"
