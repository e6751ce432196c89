"""Sign in with Slack (OpenID Connect) for the join page, on slack_sdk's own helpers.

The ID token comes straight from Slack's token endpoint in exchange for the client secret, and
is still verified as OpenID Connect asks: its RS256 signature against Slack's published keys,
`iss`, `aud`, `exp`, and the `nonce` this sign-in sent. Its team (and enterprise) must be a
workspace RoomBot is installed in: a person of another workspace has no rooms here.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import jwt
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.oauth import OpenIDConnectAuthorizeUrlGenerator

from bot.services.domain import Workspace

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.web.sessions import SignInState

log = logging.getLogger(__name__)

ISSUER: Final = "https://slack.com"
SCOPES: Final = ("openid", "profile", "email")
CALLBACK_PATH: Final = "/auth/slack/callback"
START_PATH: Final = "/auth/slack/start"
_CLAIM: Final = "https://slack.com/"


class SignInFailed(Exception):
    """The sign-in cannot be completed; the message is for the person, in plain words."""


@dataclass(frozen=True)
class SignedIn:
    workspace: Workspace
    user_id: str
    name: str


@dataclass(frozen=True)
class SignInConfig:
    client_id: str
    client_secret: str = ""  # never shown: see __repr__
    public_url: str = ""
    slack_api_url: str = "https://slack.com/api/"

    def __repr__(self) -> str:
        return f"SignInConfig(client_id={self.client_id!r}, public_url={self.public_url!r})"

    @property
    def slack_root(self) -> str:
        """https://slack.com/ for https://slack.com/api/ (the stand-in's root offline)."""
        return self.slack_api_url.removesuffix("api/")


class SlackSignIn:
    def __init__(self, config: SignInConfig, installed: Callable[[Workspace], bool]) -> None:
        self._config, self._installed = config, installed
        self.redirect_uri = config.public_url + CALLBACK_PATH
        self._authorize = OpenIDConnectAuthorizeUrlGenerator(
            client_id=config.client_id,
            redirect_uri=self.redirect_uri,
            scopes=list(SCOPES),
            authorization_url=config.slack_root + "openid/connect/authorize",
        )
        self._keys = jwt.PyJWKClient(config.slack_root + "openid/connect/keys", cache_keys=True)
        self._api = WebClient(base_url=config.slack_api_url)

    def authorize_url(self, state: SignInState) -> str:
        return str(self._authorize.generate(state.state, nonce=state.nonce))

    def finish(self, code: str, state: str, expected: SignInState) -> SignedIn:
        """The person Slack signed in, once every check passed."""
        if not secrets.compare_digest(state, expected.state):
            raise SignInFailed("This sign-in link has expired or was already used. Try again.")
        claims = self._verified_claims(self._id_token(code), expected.nonce)
        workspace = Workspace(
            enterprise_id=str(claims.get(_CLAIM + "enterprise_id") or ""),
            team_id=str(claims.get(_CLAIM + "team_id") or ""),
        )
        if not workspace.team_id or not self._installed(workspace):
            raise SignInFailed(
                "RoomBot is not installed in the Slack workspace you signed in with. "
                "Sign in with the workspace whose room you want to join."
            )
        name = str(claims.get("name") or claims.get("given_name") or claims["sub"])
        return SignedIn(workspace, str(claims.get(_CLAIM + "user_id") or claims["sub"]), name)

    def _id_token(self, code: str) -> str:
        try:
            response = self._api.openid_connect_token(
                client_id=self._config.client_id,
                client_secret=self._config.client_secret,
                code=code,
                redirect_uri=self.redirect_uri,
            )
        except SlackApiError as exc:
            log.warning("sign-in: Slack refused the code: %s", exc.response.get("error"))
            raise SignInFailed("Slack did not accept this sign-in. Try again.") from None
        except SlackClientError as exc:
            log.warning("sign-in: Slack could not be reached: %s", type(exc).__name__)
            raise SignInFailed("Slack could not be reached. Try again in a minute.") from None
        return str(response.get("id_token") or "")

    def _verified_claims(self, id_token: str, nonce: str) -> dict[str, Any]:
        try:
            key = self._keys.get_signing_key_from_jwt(id_token)
            claims: dict[str, Any] = jwt.decode(
                id_token,
                key.key,
                algorithms=["RS256"],
                audience=self._config.client_id,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]},
            )
        except jwt.PyJWTError as exc:
            log.warning("sign-in: the ID token failed verification: %s", type(exc).__name__)
            raise SignInFailed("Slack's answer could not be verified. Try again.") from None
        if not secrets.compare_digest(str(claims["nonce"]), nonce):
            raise SignInFailed("This sign-in link has expired or was already used. Try again.")
        return claims
