"""Sign in with Slack end to end through slack_sdk, and openid.connect.token's refusals.

The stand-in's clock starts at the real time here: PyJWT checks the ID token's exp and iat
against the machine's clock.
"""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin
from tests.slack_standin.conftest import ManualClock
from tests.slack_standin.signin_flow import ANA, CLIENT_ID, exchange, sign_in

pytestmark = pytest.mark.usefixtures("oidc_client")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(time.time())


def _verified(standin: RunningStandin, id_token: str) -> dict[str, Any]:
    """RoomBot's check: Slack's published key, issuer, audience and expiry."""
    key = jwt.PyJWKClient(standin.keys_url).get_signing_key_from_jwt(id_token)
    return dict(
        jwt.decode(
            id_token,
            key.key,
            algorithms=["RS256"],
            audience=CLIENT_ID,
            issuer="https://slack.com",
            options={"require": ["exp", "iat", "aud", "iss", "sub"]},
        )
    )


def _refusal(standin: RunningStandin, code: str, **overrides: Any) -> str:
    with pytest.raises(SlackApiError) as failure:
        exchange(standin, code, **overrides)
    return str(failure.value.response["error"])


def test_a_full_sign_in_ends_with_an_id_token_the_published_keys_verify(
    standin: RunningStandin,
) -> None:
    redirect = sign_in(standin, nonce="n-123", team="T0DEMO")
    tokens = exchange(standin, redirect["code"])

    claims = _verified(standin, tokens["id_token"])

    assert (claims["sub"], claims["nonce"]) == (ANA, "n-123")
    assert claims["https://slack.com/team_id"] == "T0DEMO"
    assert claims["https://slack.com/user_id"] == ANA
    assert claims["exp"] - claims["iat"] == 300


def test_the_signed_in_person_can_then_read_their_user_info(standin: RunningStandin) -> None:
    tokens = exchange(standin, sign_in(standin)["code"])

    info = WebClient(token=tokens["access_token"], base_url=standin.base_url)

    answer = info.openid_connect_userInfo()
    assert (answer["sub"], answer["email"]) == (ANA, "ana@demo.example")
    assert answer["name"] == "Ana Alves"


def test_the_exchange_answers_a_bearer_user_token(standin: RunningStandin) -> None:
    tokens = exchange(standin, sign_in(standin)["code"])

    assert tokens["token_type"] == "Bearer"
    assert tokens["access_token"].startswith("xoxp-")


def test_the_id_token_names_the_person_and_their_workspace(standin: RunningStandin) -> None:
    claims = _verified(standin, exchange(standin, sign_in(standin)["code"])["id_token"])

    assert (claims["email"], claims["email_verified"]) == ("ana@demo.example", True)
    assert (claims["given_name"], claims["family_name"]) == ("Ana", "Alves")
    assert claims["https://slack.com/team_name"] == "Demo Co"
    assert claims["https://slack.com/team_domain"] == "democo"
    assert claims["auth_time"] <= claims["iat"]


def test_the_id_token_header_names_the_key_that_signed_it(standin: RunningStandin) -> None:
    id_token = exchange(standin, sign_in(standin)["code"])["id_token"]

    key_ids = [key.key_id for key in jwt.PyJWKClient(standin.keys_url).get_signing_keys()]

    assert key_ids == [jwt.get_unverified_header(id_token)["kid"]]


def test_an_enterprise_workspace_adds_its_enterprise_id(standin: RunningStandin) -> None:
    standin.workspace.enterprise_id = "E0GRID"

    claims = _verified(standin, exchange(standin, sign_in(standin)["code"])["id_token"])

    assert claims["https://slack.com/enterprise_id"] == "E0GRID"


def test_without_the_email_and_profile_scopes_the_id_token_says_only_who(
    standin: RunningStandin,
) -> None:
    code = sign_in(standin, scopes=["openid"])["code"]

    claims = _verified(standin, exchange(standin, code)["id_token"])

    assert "email" not in claims
    assert "name" not in claims


def test_a_code_works_only_once(standin: RunningStandin) -> None:
    code = sign_in(standin)["code"]
    exchange(standin, code)

    assert _refusal(standin, code) == "invalid_code"


def test_a_code_expires_after_ten_minutes(standin: RunningStandin, clock: ManualClock) -> None:
    code = sign_in(standin)["code"]
    clock.advance(600)

    assert _refusal(standin, code) == "invalid_code"


def test_a_made_up_code_is_refused(standin: RunningStandin) -> None:
    assert _refusal(standin, "1.2.not-a-code") == "invalid_code"


def test_a_wrong_client_secret_is_refused(standin: RunningStandin) -> None:
    code = sign_in(standin)["code"]

    assert _refusal(standin, code, client_secret="guessed") == "bad_client_secret"


def test_an_unknown_client_id_is_refused(standin: RunningStandin) -> None:
    code = sign_in(standin)["code"]

    assert _refusal(standin, code, client_id="999.999") == "invalid_client_id"


def test_a_code_issued_to_another_client_is_refused(standin: RunningStandin) -> None:
    standin.register_oidc_client("333.444", "other-secret", ["https://other.example/cb"])
    code = sign_in(standin)["code"]

    refusal = _refusal(standin, code, client_id="333.444", client_secret="other-secret")

    assert refusal == "invalid_code"


def test_a_redirect_uri_other_than_the_authorized_one_is_refused(
    standin: RunningStandin,
) -> None:
    code = sign_in(standin)["code"]

    refusal = _refusal(standin, code, redirect_uri="https://roombot.example/elsewhere")

    assert refusal == "bad_redirect_uri"


def test_leaving_out_the_redirect_uri_sent_to_authorize_is_refused(
    standin: RunningStandin,
) -> None:
    code = sign_in(standin)["code"]

    assert _refusal(standin, code, redirect_uri=None) == "bad_redirect_uri"


def test_a_refused_exchange_leaves_the_code_usable(standin: RunningStandin) -> None:
    code = sign_in(standin)["code"]
    _refusal(standin, code, client_secret="guessed")

    assert exchange(standin, code)["ok"] is True


def test_a_refresh_token_grant_is_refused(standin: RunningStandin) -> None:
    refusal = _refusal(standin, "", grant_type="refresh_token", refresh_token="xoxe-1-abc")

    assert refusal == "invalid_refresh_token"


def test_an_unknown_grant_type_is_refused(standin: RunningStandin) -> None:
    code = sign_in(standin)["code"]

    assert _refusal(standin, code, grant_type="password") == "invalid_grant_type"


def test_the_exchange_is_recorded_without_the_client_secret(standin: RunningStandin) -> None:
    exchange(standin, sign_in(standin)["code"])

    [call] = standin.calls("openid.connect.token")
    assert (call.ok, call.args["client_id"]) == (True, CLIENT_ID)
    assert call.args["client_secret"] == "(redacted)"
