"""Identity endpoints: users, access tokens, revocation, Teams exchange (ACS_REST.md §3)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from acs_emulator.errors import ApiError, not_found
from acs_emulator.identity_rules import check_identity_id, expiry_minutes, json_object, scopes
from acs_emulator.records import IdentityRecord
from acs_emulator.timefmt import TICKS_PER_SECOND, Clock, format_ticks, now_ticks
from acs_emulator.versions import IDENTITY_VERSIONS, requested_version
from acs_emulator.wire import Request, Response, json_response

if TYPE_CHECKING:
    from acs_emulator.store import Store
    from acs_emulator.tokens import TokenMinter
    from acs_emulator.transaction import Transaction


class IdentityApi:
    def __init__(self, store: Store, clock: Clock | None, minter: TokenMinter) -> None:
        self._store = store
        self._clock = clock
        self._minter = minter  # shared with the calling surface, which verifies what it mints

    def create(self, request: Request) -> Response:
        """201 with the identity; a token only when scopes are given (the real service leaves
        `accessToken` out for an empty list, and the SDK then fails: faithful on purpose)."""
        requested_version(request, IDENTITY_VERSIONS)
        body = json_object(request.body)
        token_scopes = scopes(body, "createTokenWithScopes", required=False)
        minutes = expiry_minutes(body)
        identity = IdentityRecord(
            f"8:acs:{self._store.resource_id}_{uuid.uuid4()}", self._now(), None
        )
        with self._store.transaction() as tx:
            tx.save_identity(identity)
        result: dict[str, Any] = {"identity": {"id": identity.id}}
        if token_scopes:
            result["accessToken"] = self._token(identity.id, token_scopes, minutes)
        return json_response(201, result)

    def issue_token(self, request: Request, identity_id: str) -> Response:
        requested_version(request, IDENTITY_VERSIONS)
        check_identity_id(identity_id)
        body = json_object(request.body)
        token_scopes = scopes(body, "scopes", required=True)
        minutes = expiry_minutes(body)
        with self._store.reading() as tx:
            _existing(tx, identity_id)
        return json_response(200, self._token(identity_id, token_scopes, minutes))

    def revoke_tokens(self, request: Request, identity_id: str) -> Response:
        """Records when; the calling surface refuses tokens issued before it."""
        requested_version(request, IDENTITY_VERSIONS)
        check_identity_id(identity_id)
        with self._store.transaction() as tx:
            identity = _existing(tx, identity_id)
            tx.save_identity(IdentityRecord(identity.id, identity.created_at, self._now()))
        return Response(204)

    def delete(self, request: Request, identity_id: str) -> Response:
        requested_version(request, IDENTITY_VERSIONS)
        check_identity_id(identity_id)
        with self._store.transaction() as tx:
            _existing(tx, identity_id)
            tx.delete_identity(identity_id)
        return Response(204)

    def exchange_teams_token(self, request: Request) -> Response:
        """No Entra ID here to validate a Teams token against: always the service's 401."""
        requested_version(request, IDENTITY_VERSIONS)
        json_object(request.body)
        raise ApiError(401, "InvalidAccessToken", "Provided access token is not valid.")

    def _token(self, identity_id: str, token_scopes: list[str], minutes: int) -> dict[str, str]:
        issued = self._now()
        expires = issued + minutes * 60 * TICKS_PER_SECOND
        token = self._minter.mint(
            identity_id, token_scopes, issued // TICKS_PER_SECOND, expires // TICKS_PER_SECOND
        )
        return {"token": token, "expiresOn": format_ticks(expires)}

    def _now(self) -> int:
        return now_ticks(self._clock)


def _existing(tx: Transaction, identity_id: str) -> IdentityRecord:
    identity = tx.identity(identity_id)
    if identity is None:
        raise not_found()
    return identity
