"""Who a Slack user is, as far as RoomBot cares: time zone, admin rights, bot or deactivated.

`users.info` answers are cached for a few minutes: every command needs the caller's time zone
and admin flag, and Slack rate-limits the method per workspace.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError

if TYPE_CHECKING:
    from collections.abc import Callable

    from slack_sdk import WebClient

CACHE_SECONDS = 300.0


@dataclass(frozen=True)
class SlackUser:
    user_id: str
    name: str
    tz: str | None
    is_admin: bool
    is_bot: bool
    deleted: bool

    def zone(self, fallback: ZoneInfo) -> ZoneInfo:
        try:
            return ZoneInfo(self.tz) if self.tz else fallback
        except (ZoneInfoNotFoundError, ValueError):
            return fallback


def _from_api(user: dict[str, object]) -> SlackUser:
    profile = user.get("profile") or {}
    display = profile.get("display_name") if isinstance(profile, dict) else None
    return SlackUser(
        user_id=str(user["id"]),
        name=str(display or user.get("name") or user["id"]),
        tz=str(user["tz"]) if user.get("tz") else None,
        is_admin=bool(user.get("is_admin") or user.get("is_owner")),
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
        deleted=bool(user.get("deleted")),
    )


class UserDirectory:
    """A small TTL cache in front of users.info, keyed by team and user."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], tuple[float, SlackUser | None]] = {}

    def lookup(self, client: WebClient, team_id: str, user_id: str) -> SlackUser | None:
        """The user, or None when Slack says the app cannot see them."""
        key = (team_id, user_id)
        with self._lock:
            cached = self._cache.get(key)
        if cached and self._clock() - cached[0] < CACHE_SECONDS:
            return cached[1]
        user = self._fetch(client, user_id)
        with self._lock:
            self._cache[key] = (self._clock(), user)
        return user

    @staticmethod
    def _fetch(client: WebClient, user_id: str) -> SlackUser | None:
        try:
            response = client.users_info(user=user_id)
        except SlackApiError as exc:
            if exc.response.get("error") in {"user_not_found", "users_not_found"}:
                return None
            raise
        return _from_api(response["user"])
