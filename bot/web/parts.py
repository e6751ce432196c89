"""What the join page is built from (bot/web/assembly.py makes it from the settings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services.join_passes import JoinPasses
    from bot.services.joining import JoinService
    from bot.web.sessions import Cookies, Session
    from bot.web.signin import SlackSignIn
    from bot.web.vendor import VendorBuild


@dataclass(frozen=True)
class WebParts:
    joining: JoinService
    cookies: Cookies | None  # None: no ROOMBOT_SESSION_SECRET, nobody can sign in
    signin: SlackSignIn | None  # None: no client ID and secret
    vendor: VendorBuild | None  # None: the Calling SDK was not built (the page says so)
    calling: str  # "sdk", or "demo" against the local ACS emulator
    secure_cookies: bool  # Secure outside http://localhost
    public_url: str = ""  # ROOMBOT_PUBLIC_URL: the links the page hands out (the .ics)
    passes: JoinPasses | None = None  # personal join links, traded for a session by POST
    calling_endpoint: str = ""  # demo: the local ACS emulator the page's adapter calls

    def session_of(self, cookie: str | None) -> Session | None:
        """The signed-in person a request's session cookie names, if any."""
        return self.cookies.session(cookie) if self.cookies is not None else None

    @property
    def can_sign_in(self) -> bool:
        return self.cookies is not None and self.signin is not None
