"""openid.connect.*: Sign in with Slack's code exchange, and who a user token belongs to.

Slack's pages for both methods (the 2020 Web API spec predates them): every argument of
openid.connect.token is optional, the client may authenticate with HTTP Basic or form fields,
and redirect_uri must repeat the one sent to /openid/connect/authorize, if one was sent. The
errors are those Slack gives for a code exchange (oauth.v2.access shares them).
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from slack_standin.signin.claims import id_token_claims, identity_claims
from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from slack_standin.signin.grants import Grant, OidcClient
    from slack_standin.state import StandinState


def token(state: StandinState, args: Args) -> dict[str, Any]:
    client = _client(state, args)
    grant_type = args.text("grant_type") or "authorization_code"
    if grant_type == "refresh_token":
        # Slack issues refresh tokens only with token rotation on; the stand-in never does.
        raise ApiError("invalid_refresh_token")
    if grant_type != "authorization_code":
        raise ApiError("invalid_grant_type")
    code = args.need("code", "invalid_code")
    grant = state.signins.valid_code(code, client.client_id, state.now())
    _check_redirect_uri(grant, args.text("redirect_uri"))
    state.signins.spend(code)
    return _tokens(state, grant)


def user_info(state: StandinState, args: Args) -> dict[str, Any]:
    # The router let only a live Sign in with Slack token through to this method.
    grant = state.signins.grant_for(args.token or "")
    if grant is None:
        raise ApiError("invalid_auth")
    user = state.user(grant.user_id)
    return identity_claims(state.workspace, user, grant.scopes)


def _client(state: StandinState, args: Args) -> OidcClient:
    client = state.signins.client(args.text("client_id"))
    if client is None:
        raise ApiError("invalid_client_id")
    given = (args.text("client_secret") or "").encode()
    if not hmac.compare_digest(given, client.client_secret.encode()):
        raise ApiError("bad_client_secret")
    return client


def _check_redirect_uri(grant: Grant, given: str | None) -> None:
    authorization = grant.authorization
    if given is None and not authorization.redirect_uri_sent:
        return  # authorize fell back on the app's first Redirect URL, so may this call
    if given != authorization.redirect_uri:
        raise ApiError("bad_redirect_uri")


def _tokens(state: StandinState, grant: Grant) -> dict[str, Any]:
    access_token = state.signins.mint_token(grant)
    user = state.user(grant.user_id)
    claims = id_token_claims(state.workspace, user, grant, state.now(), access_token)
    id_token = state.signins.key.sign(claims)
    return {"access_token": access_token, "token_type": "Bearer", "id_token": id_token}


HANDLERS = {
    "openid.connect.token": token,
    "openid.connect.userInfo": user_info,
}

# The code exchange authenticates with the app's client credentials, not a token.
NO_TOKEN_METHODS = frozenset({"openid.connect.token"})
# Methods only a Sign in with Slack user token may call; every other method takes the bot's.
USER_TOKEN_METHODS = frozenset({"openid.connect.userInfo"})
