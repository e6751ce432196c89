"""The emulated service, transport-free: faults, then authentication, then the endpoint."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from acs_emulator.calling_api import CallingApi
from acs_emulator.calls import Calls
from acs_emulator.errors import ApiError, not_found
from acs_emulator.identity_api import IdentityApi
from acs_emulator.participants_api import ParticipantsApi
from acs_emulator.rooms_api import RoomsApi, RoomsSettings
from acs_emulator.tokens import TokenMinter
from acs_emulator.versions import IDENTITY_VERSIONS, ROOMS_VERSIONS
from acs_emulator.wire import JSON_UTF8, Request, Response, json_response

if TYPE_CHECKING:
    from acs_emulator.auth import HmacVerifier
    from acs_emulator.event_grid import EventGridPublisher
    from acs_emulator.faults import FaultInjector
    from acs_emulator.store import Store

Handler = Callable[..., Response]
_log = logging.getLogger("acs_emulator")
_IDENTITY_ROOTS = ("identities", "teamsUser")
_CALLING_ROOT = "calling"  # the emulator-only calling surface: its own auth, no faults, CORS
_correlation = random.Random()  # MS-CV values only need to differ, not to be secret


class EmulatorApp:
    def __init__(
        self,
        store: Store,
        verifier: HmacVerifier,
        faults: FaultInjector,
        rooms: RoomsSettings,
        events: EventGridPublisher,
    ) -> None:
        self.store = store
        self._verifier = verifier
        self._faults = faults
        self._count_lock = threading.Lock()
        self._handled = 0
        minter = TokenMinter(store.resource_id)
        self._routes = _routes(
            RoomsApi(store, rooms),
            ParticipantsApi(store, rooms),
            IdentityApi(store, rooms.clock, minter),
        )
        calls = Calls(rooms.clock, events.publish)
        self._calling = CallingApi(store, minter, calls, rooms.clock)

    @property
    def request_count(self) -> int:
        return self._handled

    def handle(self, request: Request) -> Response:
        with self._count_lock:
            self._handled += 1
        root = request.segments[0] if request.segments else ""
        if root == _CALLING_ROOT:
            return self._calling.handle(request)
        identity = root in _IDENTITY_ROOTS
        try:
            self._faults.apply()  # before anything else: a faulted request changes nothing
            self._verifier.verify(request)
            response = self._dispatch(request)
            self._after_room_change(request, response)
        except ApiError as error:
            response = _error_response(error, identity=identity)
        except Exception:
            _log.exception("ACS emulator failed on %s %s", request.method, request.raw_path)
            internal = ApiError(500, "InternalServerError", "The emulator failed; see its log.")
            response = _error_response(internal, identity=identity)
        return _with_service_headers(response, request, identity=identity)

    def _after_room_change(self, request: Request, response: Response) -> None:
        """A roster change or deletion reaches any call in progress in that room."""
        changed = request.method in ("PATCH", "DELETE") and response.status < 300
        if changed and len(request.segments) >= 2 and request.segments[0] == "rooms":
            self._calling.room_changed(request.segments[1])

    def _dispatch(self, request: Request) -> Response:
        shape, params = _shape(request.segments)
        handlers = self._routes.get(shape)
        if handlers is None:
            raise not_found()
        handler = handlers.get(request.method)
        if handler is None:
            message = f"The requested resource does not support http method '{request.method}'."
            raise ApiError(405, "MethodNotAllowed", message, headers={"Allow": ", ".join(handlers)})
        return handler(request, *params)


def _routes(
    rooms: RoomsApi, participants: ParticipantsApi, identity: IdentityApi
) -> dict[tuple[str, ...], dict[str, Handler]]:
    """Path shape -> method -> handler; "{id}" stands for the one path parameter."""
    return {
        ("rooms",): {"POST": rooms.create, "GET": rooms.list},
        ("rooms", "{id}"): {"GET": rooms.get, "PATCH": rooms.update, "DELETE": rooms.delete},
        ("rooms", "{id}", "participants"): {"GET": participants.list, "PATCH": participants.update},
        ("identities",): {"POST": identity.create},
        ("identities", "{id}"): {"DELETE": identity.delete},
        ("identities", "{id}", ":issueAccessToken"): {"POST": identity.issue_token},
        ("identities", "{id}", ":revokeAccessTokens"): {"POST": identity.revoke_tokens},
        ("teamsUser", ":exchangeAccessToken"): {"POST": identity.exchange_teams_token},
    }


def _shape(segments: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """("rooms", "{id}", "participants") and ["9912..."] for /rooms/9912.../participants."""
    if len(segments) >= 2 and not segments[1].startswith(":"):
        return (segments[0], "{id}", *segments[2:]), [segments[1]]
    return tuple(segments), []


def _error_response(error: ApiError, *, identity: bool) -> Response:
    """Rooms errors carry x-ms-error-code and a charset; Identity's do neither (§2.2, §3)."""
    if identity:
        response = json_response(error.status, error.body(), "application/json")
    else:
        response = json_response(error.status, error.body(), JSON_UTF8)
        response.headers["x-ms-error-code"] = error.code
    response.headers.update(error.headers)
    return response


def _with_service_headers(response: Response, request: Request, *, identity: bool) -> Response:
    versions = IDENTITY_VERSIONS if identity else ROOMS_VERSIONS
    response.headers["api-supported-versions"] = ", ".join(versions)
    response.headers["MS-CV"] = f"{_correlation.getrandbits(96):024x}.0"
    client_request_id = request.header("x-ms-client-request-id")
    if identity and client_request_id:
        response.headers["x-ms-client-request-id"] = client_request_id
    return response
