"""Which bot tokens the stand-in accepts, and OAuth installs that mint new ones."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


class Tokens:
    """Valid bot tokens; codes are single use and a refresh token works once, like Slack's."""

    def __init__(self, valid: Iterable[str]) -> None:
        self._valid = set(valid)
        self._used_codes: set[str] = set()
        self._refreshable: set[str] = set()

    def allows(self, token: str) -> bool:
        return token in self._valid

    def allow(self, token: str) -> None:
        self._valid.add(token)

    def revoke(self, token: str) -> None:
        self._valid.discard(token)

    def redeem_code(self, code: str) -> bool:
        if code in self._used_codes:
            return False
        self._used_codes.add(code)
        return True

    def redeem_refresh_token(self, refresh_token: str) -> bool:
        if refresh_token not in self._refreshable:
            return False
        self._refreshable.discard(refresh_token)
        return True

    def mint(self) -> tuple[str, str]:
        """A new (bot token, refresh token) pair, both usable at once."""
        access = (
            f"xoxb-{secrets.randbelow(10**11)}-{secrets.randbelow(10**11)}-{secrets.token_hex(12)}"
        )
        refresh = f"xoxe-1-{secrets.token_hex(24)}"
        self._valid.add(access)
        self._refreshable.add(refresh)
        return access, refresh
