"""Sign in with Slack as a person's browser and RoomBot's join page would drive it.

The browser never follows a redirect: the redirect URL is RoomBot's (not running here), and
the test reads the code and state from where Slack sent the browser.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from slack_sdk import WebClient
from slack_sdk.oauth import OpenIDConnectAuthorizeUrlGenerator

from slack_standin import RunningStandin

CLIENT_ID = "2141029472.691202649728"
CLIENT_SECRET = "oidc-client-secret-for-tests"
REDIRECT_URI = "https://roombot.example/slack/signin/callback"
SCOPES = ("openid", "profile", "email")
ANA = "U06ANA1001"


@dataclass(frozen=True)
class Visit:
    status: int
    body: str
    location: str | None


class _StayHere(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 302, which `visit` reads


_BROWSER = urllib.request.build_opener(_StayHere)


def visit(url: str) -> Visit:
    try:
        with _BROWSER.open(url) as reply:
            return Visit(reply.status, reply.read().decode(), None)
    except urllib.error.HTTPError as answer:
        return Visit(answer.code, answer.read().decode(), answer.headers.get("Location"))


class _Choices(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "a" and named.get("data-choice") and named.get("href"):
            self.found[str(named["data-choice"])] = str(named["href"])


def choices(page: Visit) -> dict[str, str]:
    """The sign-in page's links by what they choose: a user id, or `cancel`."""
    parser = _Choices()
    parser.feed(page.body)
    return parser.found


def authorize_url(
    standin: RunningStandin,
    *,
    client_id: str = CLIENT_ID,
    redirect_uri: str = REDIRECT_URI,
    scopes: Sequence[str] = SCOPES,
    state: str = "state-1",
    nonce: str | None = "nonce-1",
    team: str | None = None,
) -> str:
    generator = OpenIDConnectAuthorizeUrlGenerator(
        client_id=client_id,
        redirect_uri=redirect_uri,
        scopes=list(scopes),
        authorization_url=standin.authorize_url,
    )
    return generator.generate(state, nonce=nonce, team=team)


def redirected_to(step: Visit) -> tuple[str, dict[str, str]]:
    """Where a 302 sent the browser: the URL without its query, and the query's values."""
    assert step.status == 302, step.body
    assert step.location is not None
    parts = urlsplit(step.location)
    return parts._replace(query="").geturl(), dict(parse_qsl(parts.query))


def sign_in(standin: RunningStandin, user_id: str = ANA, **authorize: Any) -> dict[str, str]:
    """Open the authorize URL, pick `user_id`: the code and state the redirect carries."""
    page = visit(authorize_url(standin, **authorize))
    _, params = redirected_to(visit(choices(page)[user_id]))
    return params


def exchange(standin: RunningStandin, code: str, **overrides: Any) -> Any:
    """RoomBot's side: openid.connect.token through slack_sdk, as against slack.com."""
    arguments = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": code}
    arguments["redirect_uri"] = REDIRECT_URI
    arguments.update(overrides)
    return WebClient(base_url=standin.base_url).openid_connect_token(**arguments)
