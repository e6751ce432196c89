"""response_url: what Bolt's `respond()` posts to, with Slack's use and age limits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from slack_standin.wire import ApiError

MAX_USES = 5
LIFETIME = 30 * 60.0  # seconds


@dataclass
class ResponseTarget:
    """Where a response_url's messages go; `original_ts` is what replace/delete_original hit."""

    channel_id: str
    user_id: str
    issued: float
    original_ts: str | None = None
    original_is_ephemeral: bool = False
    uses: int = 0


class ResponseUrls:
    def __init__(self) -> None:
        self._targets: dict[str, ResponseTarget] = {}

    def issue(self, target: ResponseTarget) -> str:
        # Unguessable like Slack's, so a test can't hit one it wasn't given.
        url_id = f"T0{len(self._targets)}{secrets.token_hex(8)}"
        self._targets[url_id] = target
        return url_id

    def use(self, url_id: str, now: float) -> ResponseTarget:
        """Count one use; 404-style errors once the URL is unknown, spent or expired."""
        target = self._targets.get(url_id)
        if target is None:
            raise ApiError("no_service", status=404)
        if now - target.issued >= LIFETIME:
            raise ApiError("expired_url", status=404)
        if target.uses >= MAX_USES:
            raise ApiError("used_url", status=404)
        target.uses += 1
        return target
