"""What Slack says about a signed-in person: the ID token's claims and openid.connect.userInfo's.

Names and shapes from Slack's pages for openid.connect.token (the decoded id_token) and
openid.connect.userInfo: standard OpenID claims, and Slack's own under `https://slack.com/`.
`email` claims need the `email` scope, names and pictures the `profile` scope.
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slack_standin.signin.grants import Grant
    from slack_standin.workspace import User, Workspace

ISSUER = "https://slack.com"
ID_TOKEN_LIFETIME = 300  # seconds: exp - iat in the token Slack's page shows
SLACK = "https://slack.com/"
EMAIL_VERIFIED_AT = 1690000000  # when the demo people confirmed their addresses
_USER_IMAGES = (24, 32, 48, 72, 192, 512)
_TEAM_IMAGES = (34, 44, 68, 88, 102, 132, 230)


def id_token_claims(
    workspace: Workspace, user: User, grant: Grant, now: float, access_token: str
) -> dict[str, Any]:
    authorization = grant.authorization
    issued = int(now)
    claims: dict[str, Any] = {"iss": ISSUER, "sub": user.id, "aud": authorization.client_id}
    claims.update({"exp": issued + ID_TOKEN_LIFETIME, "iat": issued})
    claims["auth_time"] = int(grant.auth_time)
    if authorization.nonce is not None:
        claims["nonce"] = authorization.nonce  # echoed so the client can tie token to request
    claims["at_hash"] = _at_hash(access_token)
    return {**claims, **identity_claims(workspace, user, grant.scopes)}


def identity_claims(workspace: Workspace, user: User, scopes: list[str]) -> dict[str, Any]:
    """Who the person is, as of now: shared by the ID token and openid.connect.userInfo."""
    claims: dict[str, Any] = {"sub": user.id, f"{SLACK}user_id": user.id}
    claims[f"{SLACK}team_id"] = workspace.team_id
    claims[f"{SLACK}team_name"] = workspace.team_name
    claims[f"{SLACK}team_domain"] = workspace.domain
    if workspace.enterprise_id:
        claims[f"{SLACK}enterprise_id"] = workspace.enterprise_id
        claims[f"{SLACK}enterprise_name"] = workspace.enterprise_name
    if "email" in scopes and user.email is not None:
        claims.update({"email": user.email, "email_verified": True})
        claims["date_email_verified"] = EMAIL_VERIFIED_AT
    if "profile" in scopes:
        claims.update({**_profile(user), **_team_images(workspace)})
    return claims


def _profile(user: User) -> dict[str, Any]:
    given, _, family = user.real_name.partition(" ")
    claims: dict[str, Any] = {"name": user.real_name, "picture": _image(user.id, 512)}
    claims.update({"given_name": given, "family_name": family, "locale": "en-US"})
    claims.update({f"{SLACK}user_image_{size}": _image(user.id, size) for size in _USER_IMAGES})
    return claims


def _team_images(workspace: Workspace) -> dict[str, Any]:
    images: dict[str, Any] = {
        f"{SLACK}team_image_{size}": _image(workspace.team_id, size) for size in _TEAM_IMAGES
    }
    return {**images, f"{SLACK}team_image_default": True}


def _image(owner_id: str, size: int) -> str:
    return f"https://avatars.example/{owner_id}_{size}.png"


def _at_hash(access_token: str) -> str:
    """OpenID's at_hash: the left half of the token's SHA-256, base64url without padding."""
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()
