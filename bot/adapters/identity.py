"""`IdentityGateway` over the official `azure-communication-identity` client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from azure.communication.identity import CommunicationIdentityClient, CommunicationUserIdentifier

from bot.adapters.convert import parse_acs_time
from bot.services.domain import AccessToken
from bot.services.errors import AcsRequestFailed

if TYPE_CHECKING:
    from datetime import timedelta

    from bot.adapters.acs_errors import ErrorTranslator
    from bot.adapters.clients import Connected, Lazy

VOIP_SCOPE = "voip"


class AcsIdentityGateway:
    """Every method raises only `bot.services.errors` types. Tokens are never logged."""

    def __init__(
        self, connected: Lazy[Connected[CommunicationIdentityClient]], errors: ErrorTranslator
    ) -> None:
        self._connected = connected
        self._errors = errors

    @property
    def _client(self) -> CommunicationIdentityClient:
        return self._connected.get().client

    def create_identity(self) -> str:
        with self._errors.guard():
            identifier = self._client.create_user()
        return str(identifier.raw_id)

    def issue_voip_token(self, acs_id: str, *, expires_in: timedelta | None = None) -> AccessToken:
        with self._errors.guard(acs_id=acs_id):
            issued = self._client.get_token(user(acs_id), [VOIP_SCOPE], token_expires_in=expires_in)
        if not issued.token:
            raise AcsRequestFailed("ACS answered without a token; try again.")
        # azure.core's AccessToken types expires_on as int, but this SDK passes the raw string.
        return AccessToken(token=issued.token, expires_on=parse_acs_time(issued.expires_on))

    def revoke_tokens(self, acs_id: str) -> None:
        with self._errors.guard(acs_id=acs_id):
            self._client.revoke_tokens(user(acs_id))

    def delete_identity(self, acs_id: str) -> None:
        """An identity ACS no longer knows counts as deleted (a retried delete finds none)."""
        with self._errors.guard(acs_id=acs_id, missing_ok=True):
            self._client.delete_user(user(acs_id))

    def close(self) -> None:
        """Frees the connection pool, if a client was ever built."""
        connected = self._connected.built
        if connected is not None:
            connected.close()


def user(acs_id: str) -> CommunicationUserIdentifier:
    return CommunicationUserIdentifier(acs_id, raw_id=acs_id)
