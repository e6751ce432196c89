"""Where a room's Join button leads: RoomBot's own join page, or an organisation's own ACS
calling app (`ROOMBOT_JOIN_URL`), or nowhere while neither is configured."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    from bot.services.domain import RoomDetails

JOIN_PATH = "/r/"
KEY = re.compile(r"[A-Za-z0-9_-]{22}")


@dataclass(frozen=True)
class JoinLinks:
    public_url: str | None = None  # ROOMBOT_PUBLIC_URL, without a trailing slash
    template: str | None = None  # ROOMBOT_JOIN_URL, with {acs_room_id} and/or {key}
    personal: bool = False  # personal join links can be sent (the page and a session secret)

    def url_for(self, room: RoomDetails) -> str | None:
        """The room's join link; None when RoomBot has no address to give (no Join button)."""
        if self.template is not None:
            return self.template.format(
                acs_room_id=quote(room.acs_room_id, safe=""), key=room.join_key
            )
        if self.public_url is not None:
            return f"{self.public_url}{JOIN_PATH}{room.join_key}"
        return None

    def calendar_url_for(self, room: RoomDetails) -> str | None:
        """The room's .ics, served beside RoomBot's own join page (none with another app's)."""
        if self.template is not None or self.public_url is None:
            return None
        return f"{self.public_url}{JOIN_PATH}{room.join_key}/calendar.ics"

    @property
    def sends_personal_links(self) -> bool:
        """Personal join links lead to RoomBot's own page, which redeems their passes."""
        return self.personal and self.template is None and self.public_url is not None

    def personal_link_for(self, room: RoomDetails, token: str) -> str | None:
        """The join link carrying a personal pass in its fragment (bot/services/join_passes)."""
        if not self.sends_personal_links:
            return None
        return f"{self.public_url}{JOIN_PATH}{room.join_key}#t={token}"

    def key_in(self, url: str) -> str | None:
        """The join key of a link to one of RoomBot's own join pages (as pasted: any query,
        fragment or trailing slash); None for any other link."""
        if self.public_url is None:
            return None
        own, given = urlsplit(self.public_url), urlsplit(url.strip())
        if (given.scheme.lower(), given.netloc.lower()) != (own.scheme.lower(), own.netloc.lower()):
            return None
        prefix = own.path.rstrip("/") + JOIN_PATH
        if not given.path.startswith(prefix):
            return None
        key = given.path.removeprefix(prefix).rstrip("/")
        return key if KEY.fullmatch(key) else None

    @property
    def serves_own_page(self) -> bool:
        """RoomBot serves /r/<key> itself unless Join points at another app."""
        return self.template is None
