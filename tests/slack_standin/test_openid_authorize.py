"""/openid/connect/authorize: the sign-in page, the person's choice, and the refusals."""

from __future__ import annotations

import pytest

from slack_standin import OidcClient, RunningStandin
from tests.slack_standin.signin_flow import (
    ANA,
    REDIRECT_URI,
    authorize_url,
    choices,
    redirected_to,
    visit,
)

pytestmark = pytest.mark.usefixtures("oidc_client")


def test_the_sign_in_page_offers_each_active_person_and_a_cancel(
    standin: RunningStandin,
) -> None:
    page = visit(authorize_url(standin))

    assert page.status == 200
    active = [u.id for u in standin.workspace.humans()]
    assert sorted(choices(page)) == sorted([*active, "cancel"])
    assert "Ana Alves" in page.body


def test_choosing_a_person_redirects_with_a_code_and_the_state(standin: RunningStandin) -> None:
    page = visit(authorize_url(standin, state="st-42"))

    where, params = redirected_to(visit(choices(page)[ANA]))

    assert where == REDIRECT_URI
    assert params["state"] == "st-42"
    assert params["code"]


def test_cancel_redirects_with_access_denied_and_the_state(standin: RunningStandin) -> None:
    page = visit(authorize_url(standin, state="st-7"))

    where, params = redirected_to(visit(choices(page)["cancel"]))

    assert (where, params) == (REDIRECT_URI, {"error": "access_denied", "state": "st-7"})


def test_a_sign_in_page_can_be_answered_only_once(standin: RunningStandin) -> None:
    links = choices(visit(authorize_url(standin)))
    visit(links[ANA])

    again = visit(links[ANA])

    assert (again.status, again.location) == (400, None)


def test_an_unknown_client_gets_an_error_page_and_no_redirect(standin: RunningStandin) -> None:
    answer = visit(authorize_url(standin, client_id="999.999"))

    assert (answer.status, answer.location) == (400, None)
    assert "invalid_client_id" in answer.body


def test_an_unregistered_redirect_uri_gets_an_error_page_and_no_redirect(
    standin: RunningStandin,
) -> None:
    answer = visit(authorize_url(standin, redirect_uri="https://evil.example/callback"))

    assert (answer.status, answer.location) == (400, None)
    assert "bad_redirect_uri" in answer.body


def test_a_scope_without_openid_redirects_with_invalid_scope(standin: RunningStandin) -> None:
    answer = visit(authorize_url(standin, scopes=["profile", "email"], state="st-3"))

    assert redirected_to(answer)[1] == {"error": "invalid_scope", "state": "st-3"}


def test_a_scope_sign_in_with_slack_lacks_redirects_with_invalid_scope(
    standin: RunningStandin,
) -> None:
    answer = visit(authorize_url(standin, scopes=["openid", "chat:write"]))

    assert redirected_to(answer)[1]["error"] == "invalid_scope"


def test_a_response_type_other_than_code_redirects_with_an_error(
    standin: RunningStandin,
) -> None:
    url = authorize_url(standin, state="st-9").replace("response_type=code", "response_type=token")

    answer = visit(url)

    assert redirected_to(answer)[1] == {"error": "unsupported_response_type", "state": "st-9"}


def test_another_workspace_as_team_is_refused(standin: RunningStandin) -> None:
    answer = visit(authorize_url(standin, team="T0ELSEWHERE"))

    assert (answer.status, answer.location) == (400, None)


def test_the_stand_ins_own_workspace_as_team_is_accepted(standin: RunningStandin) -> None:
    assert visit(authorize_url(standin, team="T0DEMO")).status == 200


def test_error_pages_escape_what_the_caller_sent(standin: RunningStandin) -> None:
    answer = visit(authorize_url(standin, client_id="<script>alert(1)</script>"))

    assert "<script>" not in answer.body
    assert "&lt;script&gt;" in answer.body


def test_the_redirect_keeps_the_redirect_uris_own_query(standin: RunningStandin) -> None:
    with_query = "https://roombot.example/signin?from=join"
    standin.register_oidc_client("333.444", "another-secret", [with_query])
    page = visit(authorize_url(standin, client_id="333.444", redirect_uri=with_query))

    where, params = redirected_to(visit(choices(page)[ANA]))

    assert where == "https://roombot.example/signin"
    assert params["from"] == "join"


def test_without_a_redirect_uri_the_apps_first_url_is_used(standin: RunningStandin) -> None:
    url = authorize_url(standin).replace(f"&redirect_uri={REDIRECT_URI}", "")

    where, _ = redirected_to(visit(choices(visit(url))[ANA]))

    assert where == REDIRECT_URI


def test_page_visits_are_recorded_like_calls(standin: RunningStandin) -> None:
    visit(authorize_url(standin, client_id="999.999"))

    [call] = standin.calls("openid/connect/authorize")
    assert call.args["client_id"] == "999.999"
    assert (call.status, call.error) == (400, "invalid_client_id")


def test_a_plain_http_redirect_url_off_this_machine_cannot_be_registered(
    standin: RunningStandin,
) -> None:
    with pytest.raises(ValueError, match="https"):
        standin.register_oidc_client("555.666", "a-secret", ["http://roombot.example/cb"])


def test_a_loopback_http_redirect_url_can_be_registered(standin: RunningStandin) -> None:
    client = standin.register_oidc_client("555.666", "a-secret", ["http://127.0.0.1:8080/cb"])

    assert client == OidcClient("555.666", "a-secret", ("http://127.0.0.1:8080/cb",))
