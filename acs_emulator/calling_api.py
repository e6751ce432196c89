"""The calling surface for the join page's demo adapter: emulator-only, not part of ACS REST.

A browser page on another localhost origin calls it with fetch, so every answer allows any
origin (tokens travel in headers, never cookies) and preflights are answered here. Callers are
authenticated by an ACS user access token this emulator issued, not by the HMAC access key.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from acs_emulator.errors import ApiError, bad_request, not_found
from acs_emulator.timefmt import TICKS_PER_SECOND, now_ticks
from acs_emulator.wire import Request, Response, json_response

if TYPE_CHECKING:
    from collections.abc import Callable

    from acs_emulator.calls import Calls
    from acs_emulator.records import Call
    from acs_emulator.store import Store
    from acs_emulator.timefmt import Clock
    from acs_emulator.tokens import TokenClaims, TokenMinter

_log = logging.getLogger("acs_emulator")
_MAX_DISPLAY_NAME = 256
CORS_PREFLIGHT = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "600",
}


class Refusal(ApiError):
    """A refused join, with the calling sub-code the page maps to its message (JOIN.md §1.2)."""

    def __init__(self, status: int, code: str, message: str, sub_code: int) -> None:
        super().__init__(status, code, message)
        self.sub_code = sub_code

    def body(self) -> dict[str, Any]:
        body = super().body()
        body["error"]["subCode"] = self.sub_code
        return body


def invalid_token() -> Refusal:
    return Refusal(401, "InvalidAccessToken", "The application didn't provide a valid ACS token.",
                   4507)  # fmt: skip


class CallingApi:
    def __init__(self, store: Store, minter: TokenMinter, calls: Calls, clock: Clock | None):
        self._store = store
        self._minter = minter
        self._calls = calls
        self._clock = clock

    def handle(self, request: Request) -> Response:
        try:
            response = self._dispatch(request)
        except ApiError as error:
            response = json_response(error.status, error.body())
            response.headers.update(error.headers)
        except Exception:
            _log.exception("ACS emulator failed on %s %s", request.method, request.raw_path)
            internal = ApiError(500, "InternalServerError", "The emulator failed; see its log.")
            response = json_response(500, internal.body())
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    def room_changed(self, room_id: str) -> None:
        """After the Rooms API changed or deleted a room: drop those no longer on its roster."""
        self._calls.room_changed(room_id, lambda: self._roster(room_id))

    def _dispatch(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(204, headers=dict(CORS_PREFLIGHT))
        handler, allowed, params = self._route(request.segments[1:])
        if handler is None:
            raise not_found()
        if request.method != allowed:
            message = f"The requested resource does not support http method '{request.method}'."
            raise ApiError(405, "MethodNotAllowed", message, headers={"Allow": allowed})
        return handler(request, *params)

    def _route(self, path: list[str]) -> tuple[Callable[..., Response] | None, str, list[str]]:
        match path:
            case ["rooms", room_id, "join"]:
                return self.join, "POST", [room_id]
            case ["calls", server_call_id]:
                return self.describe, "GET", [server_call_id]
            case ["calls", server_call_id, "participants", participant_id, "leave"]:
                return self.leave, "POST", [server_call_id, participant_id]
        return None, "", []

    def join(self, request: Request, room_id: str) -> Response:
        """Token (401/4507), then room (404/5732), window (403/5829), roster (403/5828)."""
        claims = self._caller(request)
        display_name = _display_name(request.body)
        call, who = self._calls.join(
            room_id, claims.identity_id, display_name, lambda: self._admit(room_id, claims)
        )
        answer = {
            "serverCallId": call.server_call_id,
            "participantId": who.participant_id,
            "role": who.role,
            "participants": len(call.participants),
        }
        return json_response(200, answer)

    def leave(self, request: Request, server_call_id: str, participant_id: str) -> Response:
        """Knowing the random participantId is the authority (a keepalive fetch on pagehide)."""
        if not self._calls.leave(server_call_id, participant_id):
            raise not_found()
        return Response(204)

    def describe(self, request: Request, server_call_id: str) -> Response:
        self._caller(request)
        call = self._calls.call(server_call_id)
        if call is None:
            raise not_found()
        return json_response(200, _call_json(call))

    def _caller(self, request: Request) -> TokenClaims:
        """The verified token's claims: ours, unexpired, `voip`, identity alive, not revoked."""
        scheme, _, token = request.header("authorization").partition(" ")
        now = now_ticks(self._clock)
        claims = self._minter.verify(token.strip(), now // TICKS_PER_SECOND)
        if scheme.lower() != "bearer" or claims is None or "voip" not in claims.scopes:
            raise invalid_token()
        with self._store.reading() as tx:
            identity = tx.identity(claims.identity_id)
        if identity is None:
            raise invalid_token()
        revoked = identity.tokens_revoked_at
        if revoked is not None and claims.issued_at < revoked // TICKS_PER_SECOND:
            raise invalid_token()
        return claims

    def _admit(self, room_id: str, claims: TokenClaims) -> str:
        """The caller's role in the room, or the refusal the Calling SDK would end with."""
        now = now_ticks(self._clock)
        with self._store.reading() as tx:
            room = tx.room(room_id)
            roster = {} if room is None else tx.participants(room_id)
        if room is None:
            raise Refusal(404, "RoomNotFound", "The room ID provided could not be found.", 5732)
        if not room.valid_from <= now <= room.valid_until:
            raise Refusal(403, "RoomNotValid", "This room is not valid at this current time.",
                          5829)  # fmt: skip
        if claims.identity_id not in roster:
            raise Refusal(403, "NotInvitedToRoom", "Not invited to room.", 5828)
        return roster[claims.identity_id]

    def _roster(self, room_id: str) -> dict[str, str] | None:
        with self._store.reading() as tx:
            return None if tx.room(room_id) is None else tx.participants(room_id)


def _display_name(body: bytes) -> str:
    """From the optional JSON body `{"displayName": "..."}`; empty when absent."""
    try:
        parsed = json.loads(body) if body.strip() else {}
    except ValueError:
        raise bad_request("The request body is not valid JSON.") from None
    if not isinstance(parsed, dict):
        raise bad_request("The request body must be a JSON object.")
    name = parsed.get("displayName")
    if name is not None and (not isinstance(name, str) or len(name) > _MAX_DISPLAY_NAME):
        raise bad_request(f"displayName must be a string of at most {_MAX_DISPLAY_NAME} chars.")
    return name or ""


def _call_json(call: Call) -> dict[str, Any]:
    participants = [
        {
            "participantId": who.participant_id,
            "rawId": who.raw_id,
            "displayName": who.display_name,
            "role": who.role,
        }
        for who in call.participants.values()
    ]
    return {"serverCallId": call.server_call_id, "roomId": call.room_id,
            "participants": participants}  # fmt: skip
