"""Personal join links: for someone not signed in to Slack in their browser, RoomBot sends a
link privately that signs them in once. It carries a pass in the URL fragment (never sent to a
server, so neither logs nor Slack's link previewer see it); the page trades it for a session
by POST. A pass is signed (HMAC-SHA256), names one person and one room, lasts PASS_SECONDS,
and is spent on first use, across instances (the event ledger)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from bot.services.clock import Clock, utc_now
from bot.services.domain import Workspace

if TYPE_CHECKING:
    from bot.services.event_ledger import EventLedger

PASS_SECONDS: Final = 300


@dataclass(frozen=True)
class PassHolder:
    workspace: Workspace
    user_id: str
    name: str


class PassRefused(Exception):
    """Why a pass cannot sign anyone in; the message is for the person."""


class JoinPasses:
    def __init__(self, secret: str, ledger: EventLedger, clock: Clock = utc_now) -> None:
        class ClockedSigner(TimestampSigner):
            """Ages passes by RoomBot's clock (tests move it; nobody waits 5 minutes)."""

            def get_timestamp(self) -> int:
                return int(clock().timestamp())

        self._signer = URLSafeTimedSerializer(
            secret,
            "roombot-join-pass",
            signer=ClockedSigner,
            signer_kwargs={"digest_method": hashlib.sha256},
        )
        self._ledger = ledger

    def issue(self, holder: PassHolder, join_key: str) -> str:
        ws = holder.workspace
        payload = [ws.enterprise_id, ws.team_id, holder.user_id, holder.name, join_key]
        return str(self._signer.dumps([*payload, secrets.token_urlsafe(12)]))

    def redeem(self, token: str, join_key: str) -> PassHolder:
        """The person the pass names, once; PassRefused when it is forged, for another room,
        older than PASS_SECONDS or already used."""
        try:
            loaded = self._signer.loads(token, max_age=PASS_SECONDS)
            enterprise_id, team_id, user_id, name, key, nonce = (str(v) for v in loaded)
        except SignatureExpired:
            raise PassRefused("This personal join link has expired. Ask for a new one.") from None
        except BadSignature:
            raise PassRefused("This personal join link is not valid. Ask for a new one.") from None
        except (TypeError, ValueError):
            raise PassRefused("This personal join link is not valid. Ask for a new one.") from None
        if not secrets.compare_digest(key, join_key):
            raise PassRefused("This personal join link is for another room.")
        workspace = Workspace(enterprise_id, team_id)
        if not self._ledger.first_delivery(workspace, f"join-pass:{nonce}"):
            raise PassRefused("This personal join link was already used. Ask for a new one.")
        return PassHolder(workspace, user_id, name)
