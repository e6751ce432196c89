"""auth.test and oauth.v2.access: who the token is, and installs that mint tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from slack_standin.state import StandinState

TOKEN_LIFETIME = 43200  # seconds; what Slack gives rotating tokens


def auth_test(state: StandinState, args: Args) -> dict[str, Any]:
    ws = state.workspace
    body: dict[str, Any] = {
        "url": ws.url,
        "team": ws.team_name,
        "user": ws.user(ws.bot_user_id).name,
    }
    body.update({"team_id": ws.team_id, "user_id": ws.bot_user_id, "bot_id": ws.bot_id})
    body["is_enterprise_install"] = False
    if ws.enterprise_id:
        body.update({"enterprise_id": ws.enterprise_id})
    return body


def oauth_access(state: StandinState, args: Args) -> dict[str, Any]:
    if not (args.text("client_id") and args.text("client_secret")):
        raise ApiError("invalid_client_id")
    if args.text("grant_type") == "refresh_token":
        return _refreshed(state, args.need("refresh_token", "invalid_refresh_token"))
    code = args.need("code", "invalid_code")
    if not state.tokens.redeem_code(code):
        raise ApiError("invalid_code")
    return {**_installation(state), "authed_user": _installer(state)}


def _refreshed(state: StandinState, refresh_token: str) -> dict[str, Any]:
    if not state.tokens.redeem_refresh_token(refresh_token):
        raise ApiError("invalid_refresh_token")
    return _installation(state)


def _installation(state: StandinState) -> dict[str, Any]:
    ws = state.workspace
    access_token, refresh_token = state.tokens.mint()
    body: dict[str, Any] = {"app_id": ws.app_id, "access_token": access_token}
    body.update({"token_type": "bot", "scope": ",".join(ws.scopes), "bot_user_id": ws.bot_user_id})
    body.update({"refresh_token": refresh_token, "expires_in": TOKEN_LIFETIME})
    body["team"] = {"id": ws.team_id, "name": ws.team_name}
    enterprise = {"id": ws.enterprise_id, "name": ws.enterprise_name}
    body.update({"enterprise": enterprise if ws.enterprise_id else None})
    return {**body, "is_enterprise_install": False}


def _installer(state: StandinState) -> dict[str, Any]:
    """The person who clicked Install: the first admin, as in most real installs."""
    admins = [u for u in state.workspace.humans() if u.is_admin or u.is_owner]
    people = admins or state.workspace.humans()
    return {"id": people[0].id if people else ""}


HANDLERS = {
    "auth.test": auth_test,
    "oauth.v2.access": oauth_access,
}

# Methods that authenticate with the app's client credentials instead of a bot token.
NO_TOKEN_METHODS = frozenset({"oauth.v2.access"})
