"""Sign in with Slack's browser side: /openid/connect/authorize and the person's answer, the
public keys, and the discovery document. Callers hold the stand-in's lock.

An authorization server never redirects to a URL it cannot vouch for: an unknown client or an
unregistered redirect_uri gets an error page (400). Every other refusal goes back to the
client's redirect_uri as `error=...&state=...`, as OAuth 2.0 (RFC 6749 §4.1.2.1) says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from slack_standin.signin import markup
from slack_standin.signin.claims import ISSUER
from slack_standin.signin.grants import SCOPES, Authorization, Grant
from slack_standin.signin.keys import ALGORITHM

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from slack_standin.signin.grants import OidcClient
    from slack_standin.state import StandinState

AUTHORIZE_PATH = "openid/connect/authorize"
CHOOSE_PATH = "openid/connect/choose"
KEYS_PATH = "openid/connect/keys"
CONFIGURATION_PATH = ".well-known/openid-configuration"


@dataclass
class Page:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None


class _Refusal(Exception):
    """An error page, never a redirect."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


def answer(state: StandinState, path: str, args: Mapping[str, str]) -> Page:
    handler = _PAGES.get(path)
    if handler is None:
        return Page(404, b"not found", "text/plain")
    try:
        return handler(state, args)
    except _Refusal as refusal:
        html = markup.error_page(refusal.code, refusal.detail)
        return Page(400, html.encode(), error=refusal.code)


def authorize(state: StandinState, args: Mapping[str, str]) -> Page:
    authorization = _authorization(state, args)
    problem = _problem(args)
    if problem is not None:
        return _redirect(authorization, {"error": problem})
    team = args.get("team")
    if team and team != state.workspace.team_id:
        # Nobody on this stand-in belongs to that workspace, so nobody could sign in there.
        raise _Refusal("team_not_found", f"There is no workspace {team} to sign in to.")
    return _sign_in_page(state, authorization)


def choose(state: StandinState, args: Mapping[str, str]) -> Page:
    request_id = args.get("request", "")
    authorization = state.signins.pending(request_id)
    if authorization is None:
        raise _Refusal("invalid_request", "This sign-in page was already answered or has expired.")
    if args.get("cancel"):
        state.signins.close(request_id)
        return _redirect(authorization, {"error": "access_denied"})
    user = state.workspace.users.get(args.get("user", ""))
    if user is None or user not in state.workspace.humans():
        raise _Refusal("user_not_found", "That account cannot sign in to this workspace.")
    state.signins.close(request_id)
    code = state.signins.issue_code(Grant(authorization, user.id, state.now()))
    return _redirect(authorization, {"code": code})


def keys(state: StandinState, args: Mapping[str, str]) -> Page:
    return _json(state.signins.key.jwks())


def configuration(state: StandinState, args: Mapping[str, str]) -> Page:
    """Slack's discovery document, with this stand-in's own endpoints in place of slack.com's."""
    root = state.root_url
    body: dict[str, Any] = {"issuer": ISSUER, "authorization_endpoint": root + AUTHORIZE_PATH}
    body["token_endpoint"] = f"{root}api/openid.connect.token"
    body["userinfo_endpoint"] = f"{root}api/openid.connect.userInfo"
    body["jwks_uri"] = root + KEYS_PATH
    body.update({"scopes_supported": ["openid", "profile", "email"]})
    body.update({"response_types_supported": ["code"], "response_modes_supported": ["query"]})
    body.update({"grant_types_supported": ["authorization_code"]})
    body.update({"subject_types_supported": ["public"]})
    body["id_token_signing_alg_values_supported"] = [ALGORITHM]
    body.update({"claims_supported": ["sub", "auth_time", "iss"]})
    body.update({"claims_parameter_supported": False, "request_parameter_supported": False})
    body["request_uri_parameter_supported"] = True
    body["token_endpoint_auth_methods_supported"] = ["client_secret_post", "client_secret_basic"]
    return _json(body)


def _authorization(state: StandinState, args: Mapping[str, str]) -> Authorization:
    client = state.signins.client(args.get("client_id"))
    if client is None:
        raise _Refusal("invalid_client_id", f"Unknown client_id: {args.get('client_id', '')}")
    sent = args.get("redirect_uri") or None
    redirect_uri = _redirect_uri(client, sent)
    scopes = frozenset(_scopes(args.get("scope", "")))
    sent_uri = sent is not None
    state_value, nonce = args.get("state"), args.get("nonce")
    return Authorization(client.client_id, redirect_uri, sent_uri, scopes, state_value, nonce)


def _redirect_uri(client: OidcClient, sent: str | None) -> str:
    """The sent URL when the app registered it exactly; without one, the app's first URL."""
    if sent is None:
        return client.redirect_urls[0]
    if sent not in client.redirect_urls:
        detail = f"redirect_uri did not match any configured URIs. Passed URI: {sent}"
        raise _Refusal("bad_redirect_uri", detail)
    return sent


def _problem(args: Mapping[str, str]) -> str | None:
    if args.get("response_type") != "code":
        return "unsupported_response_type"  # Slack supports the code flow only
    scopes = _scopes(args.get("scope", ""))
    if "openid" not in scopes or not scopes <= SCOPES:
        return "invalid_scope"
    return None


def _scopes(scope: str) -> set[str]:
    # slack_sdk joins scopes with commas; OpenID Connect clients use spaces.
    return {s for s in scope.replace(",", " ").split() if s}


def _sign_in_page(state: StandinState, authorization: Authorization) -> Page:
    request_id = state.signins.hold(authorization)
    choose_url = f"{state.root_url}{CHOOSE_PATH}?"
    people = [
        (user, choose_url + urlencode({"request": request_id, "user": user.id}))
        for user in state.workspace.humans()
    ]
    cancel_url = choose_url + urlencode({"request": request_id, "cancel": "1"})
    html = markup.sign_in_page(state.workspace, authorization.client_id, people, cancel_url)
    return Page(200, html.encode())


def _redirect(authorization: Authorization, params: dict[str, str]) -> Page:
    """Back to the client, keeping its redirect_uri's own query and echoing `state`."""
    if authorization.state is not None:
        params = {**params, "state": authorization.state}
    parts = urlsplit(authorization.redirect_uri)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
    location = urlunsplit(parts._replace(query=urlencode(query)))
    return Page(302, b"", "text/plain", {"Location": location}, error=params.get("error"))


def _json(body: dict[str, Any]) -> Page:
    return Page(200, json.dumps(body).encode(), "application/json; charset=utf-8")


_PAGES: dict[str, Callable[[StandinState, Mapping[str, str]], Page]] = {
    AUTHORIZE_PATH: authorize,
    CHOOSE_PATH: choose,
    KEYS_PATH: keys,
    CONFIGURATION_PATH: configuration,
}
