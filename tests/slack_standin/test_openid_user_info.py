"""openid.connect.userInfo: who a Sign in with Slack token speaks for, and who may ask."""

from __future__ import annotations

import json
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin
from tests.slack_standin.signin_flow import ANA, exchange, sign_in, visit

pytestmark = pytest.mark.usefixtures("oidc_client")


def _user_token(standin: RunningStandin, user_id: str = ANA) -> str:
    return str(exchange(standin, sign_in(standin, user_id)["code"])["access_token"])


def _refusal(client: WebClient, method: str = "openid.connect.userInfo") -> str:
    with pytest.raises(SlackApiError) as failure:
        client.api_call(method, params={"channel": "C0DESIGN", "text": "hi"})
    return str(failure.value.response["error"])


def test_user_info_answers_for_the_person_who_signed_in(standin: RunningStandin) -> None:
    client = WebClient(token=_user_token(standin, "U06BEN1002"), base_url=standin.base_url)

    answer = client.openid_connect_userInfo()

    assert answer["https://slack.com/user_id"] == "U06BEN1002"
    assert answer["https://slack.com/team_id"] == "T0DEMO"
    assert answer["email"] == "ben@demo.example"


def test_user_info_sends_the_tokens_own_scopes(standin: RunningStandin) -> None:
    client = WebClient(token=_user_token(standin), base_url=standin.base_url)

    scopes = client.openid_connect_userInfo().headers["x-oauth-scopes"]

    assert sorted(scopes.split(",")) == ["email", "openid", "profile"]


def test_a_token_form_field_works_like_the_header(standin: RunningStandin) -> None:
    body = f"token={_user_token(standin)}".encode()
    url = standin.base_url + "openid.connect.userInfo"

    with urllib.request.urlopen(urllib.request.Request(url, data=body)) as reply:  # noqa: S310
        answer = json.loads(reply.read())

    assert answer["sub"] == ANA


def test_the_bot_token_is_refused_with_not_allowed_token_type(slack: WebClient) -> None:
    assert _refusal(slack) == "not_allowed_token_type"


def test_an_unknown_token_is_refused_with_invalid_auth(standin: RunningStandin) -> None:
    stranger = WebClient(token="xoxp-1-2-3-unknown", base_url=standin.base_url)

    assert _refusal(stranger) == "invalid_auth"


def test_a_call_without_a_token_is_refused_with_not_authed(standin: RunningStandin) -> None:
    assert _refusal(WebClient(base_url=standin.base_url)) == "not_authed"


def test_a_sign_in_token_cannot_call_the_bots_methods(standin: RunningStandin) -> None:
    client = WebClient(token=_user_token(standin), base_url=standin.base_url)

    assert _refusal(client, "chat.postMessage") == "not_allowed_token_type"


def test_a_deactivated_persons_token_stops_working(standin: RunningStandin) -> None:
    client = WebClient(token=_user_token(standin), base_url=standin.base_url)
    standin.workspace.user("ana").deleted = True

    assert _refusal(client) == "account_inactive"


def test_the_discovery_document_points_at_the_stand_in(standin: RunningStandin) -> None:
    document = json.loads(visit(standin.openid_configuration_url).body)

    assert document["issuer"] == "https://slack.com"
    assert document["authorization_endpoint"] == standin.authorize_url
    assert document["jwks_uri"] == standin.keys_url
    assert document["token_endpoint"] == standin.base_url + "openid.connect.token"
    assert document["userinfo_endpoint"] == standin.base_url + "openid.connect.userInfo"
