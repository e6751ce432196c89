"""`RoomsGateway` over the official `azure-communication-rooms` client."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from bot.adapters.convert import (
    participant_from_sdk,
    participants_to_sdk,
    room_from_sdk,
    user,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from datetime import datetime

    from azure.communication.rooms import RoomsClient

    from bot.adapters.acs_errors import ErrorTranslator
    from bot.adapters.clients import Connected, Lazy
    from bot.services.domain import AcsParticipant, AcsRoom, Role

# Fixed forever: a new namespace would map a re-sent request_id to a new GUID (a second room).
_REQUEST_ID_NAMESPACE = uuid.UUID("6f1d7a52-3c0e-4d7e-9a53-1b6a0c2e5f10")


class AcsRoomsGateway:
    """Every method raises only `bot.services.errors` types."""

    def __init__(self, connected: Lazy[Connected[RoomsClient]], errors: ErrorTranslator) -> None:
        self._connected = connected
        self._errors = errors

    @property
    def _client(self) -> RoomsClient:
        return self._connected.get().client

    def create_room(
        self,
        *,
        valid_from: datetime,
        valid_until: datetime,
        pstn_dial_out_enabled: bool,
        participants: Mapping[str, Role],
        request_id: str,
    ) -> AcsRoom:
        with self._errors.guard():
            room = self._client.create_room(
                valid_from=valid_from,
                valid_until=valid_until,
                pstn_dial_out_enabled=pstn_dial_out_enabled,
                participants=participants_to_sdk(participants),
                raw_request_hook=_repeatability(request_id),
            )
        return room_from_sdk(room)

    def get_room(self, room_id: str) -> AcsRoom:
        with self._errors.guard(room_id=room_id):
            room = self._client.get_room(room_id)
        return room_from_sdk(room)

    def update_room(
        self,
        room_id: str,
        *,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
        pstn_dial_out_enabled: bool | None = None,
    ) -> AcsRoom:
        # The SDK sends None as JSON null, which ACS reads as "leave unchanged" (§2.3).
        with self._errors.guard(room_id=room_id):
            room = self._client.update_room(
                room_id=room_id,
                valid_from=valid_from,
                valid_until=valid_until,
                pstn_dial_out_enabled=pstn_dial_out_enabled,
            )
        return room_from_sdk(room)

    def list_rooms(self) -> Iterator[AcsRoom]:
        # Pages are fetched while iterating, so the guard must stay open across the loop.
        with self._errors.guard():
            for room in self._client.list_rooms():
                yield room_from_sdk(room)

    def upsert_participants(self, room_id: str, participants: Mapping[str, Role]) -> None:
        if not participants:
            return
        with self._errors.guard(room_id=room_id):
            self._client.add_or_update_participants(
                room_id=room_id, participants=participants_to_sdk(participants)
            )

    def list_participants(self, room_id: str) -> list[AcsParticipant]:
        with self._errors.guard(room_id=room_id):
            return [participant_from_sdk(p) for p in self._client.list_participants(room_id)]

    def remove_participants(self, room_id: str, acs_ids: Sequence[str]) -> None:
        if not acs_ids:
            return
        with self._errors.guard(room_id=room_id):
            self._client.remove_participants(
                room_id=room_id, participants=[user(acs_id) for acs_id in acs_ids]
            )

    def delete_room(self, room_id: str) -> None:
        # A 404 means the room is already gone, which is what the caller wanted (§2.2).
        with self._errors.guard(room_id=room_id, missing_ok=True):
            self._client.delete_room(room_id)

    def probe(self) -> None:
        """One cheap signed read (the first page of rooms); raises what stops RoomBot using ACS."""
        with self._errors.guard():
            next(self._client.list_rooms().by_page(), None)

    def close(self) -> None:
        """Frees the connection pool, if a client was ever built."""
        connected = self._connected.built
        if connected is not None:
            connected.close()


def _repeatability(request_id: str) -> Callable[[Any], None]:
    """A per-attempt hook that puts the caller's id on the wire.

    RoomsClient.create_room (rooms 1.2.0) overwrites any Repeatability-Request-Id passed through
    `headers=` with a fresh uuid1, so the id is set on the outgoing request instead. azure-core
    runs the hook on every attempt, so retries repeat the same id and ACS makes one room.
    """
    header = repeatability_id(request_id)

    def set_header(request: Any) -> None:
        request.http_request.headers["Repeatability-Request-ID"] = header

    return set_header


def repeatability_id(request_id: str) -> str:
    """ACS wants a GUID: a UUID passes through, any other id maps to the same UUID every time."""
    try:
        return str(uuid.UUID(request_id))
    except ValueError:
        return str(uuid.uuid5(_REQUEST_ID_NAMESPACE, request_id))
