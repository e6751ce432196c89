"""Rooms endpoints: create, get, update, delete and list (ACS_REST.md §2.1-2.3, §2.6)."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from acs_emulator import paging
from acs_emulator.errors import not_found
from acs_emulator.records import RoomRecord
from acs_emulator.repeatability import Repeatability
from acs_emulator.rooms_rules import (
    MAX_WINDOW_TICKS,
    RoomFields,
    check_participant_limit,
    check_room_id,
    check_window,
    first_set,
    json_object,
    participant_changes,
)
from acs_emulator.timefmt import Clock, format_ticks, now_ticks
from acs_emulator.versions import ROOMS_VERSIONS, requested_version
from acs_emulator.wire import Request, Response, json_bytes, json_response

if TYPE_CHECKING:
    from acs_emulator.store import Store
    from acs_emulator.transaction import Transaction

_ids = random.Random()


@dataclass(frozen=True)
class RoomsSettings:
    max_participants: int
    page_size: int
    clock: Clock | None


def room_json(room: RoomRecord) -> dict[str, Any]:
    return {
        "id": room.id,
        "createdAt": format_ticks(room.created_at),
        "validFrom": format_ticks(room.valid_from),
        "validUntil": format_ticks(room.valid_until),
        "pstnDialOutEnabled": room.pstn_dial_out_enabled,
    }


def existing_room(tx: Transaction, room_id: str) -> RoomRecord:
    room = tx.room(room_id)
    if room is None:
        raise not_found()
    return room


class RoomsApi:
    def __init__(self, store: Store, settings: RoomsSettings) -> None:
        self._store = store
        self._settings = settings
        self._repeatability = Repeatability()

    def create(self, request: Request) -> Response:
        version = requested_version(request, ROOMS_VERSIONS)
        body = json_object(request.body)
        fingerprint = hashlib.sha256(request.body).hexdigest()
        with self._store.transaction() as tx:
            replay = self._repeatability.replay(tx, request, fingerprint)
            if replay is not None:
                return replay
            room = self._new_room(tx, body, version)
            response = _created(room, self._repeatability.result(request))
            self._repeatability.remember(tx, request, fingerprint, response)
        return response

    def get(self, request: Request, room_id: str) -> Response:
        requested_version(request, ROOMS_VERSIONS)
        check_room_id(room_id)
        with self._store.reading() as tx:
            return json_response(200, room_json(existing_room(tx, room_id)))

    def update(self, request: Request, room_id: str) -> Response:
        """PATCH: a missing or null field leaves the stored value unchanged (§2.3). The window
        is validated only when the PATCH moves it."""
        requested_version(request, ROOMS_VERSIONS)
        check_room_id(room_id)
        changes = RoomFields.parse(json_object(request.body))
        with self._store.transaction() as tx:
            room = changes.applied_to(existing_room(tx, room_id))
            if changes.moves_window:
                check_window(room.valid_from, room.valid_until, self._now())
            tx.save_room(room)
        return json_response(200, room_json(room))

    def delete(self, request: Request, room_id: str) -> Response:
        """Idempotent: deleting a deleted (or never created) room is 204 as well (§4 item 2)."""
        requested_version(request, ROOMS_VERSIONS)
        check_room_id(room_id)
        with self._store.transaction() as tx:
            tx.delete_room(room_id)
        return Response(204)

    def list(self, request: Request) -> Response:
        """Newest first, `nextLink` while more remain (§2.6)."""
        resumed = paging.continuation(request)
        first_version = None if resumed is None else resumed[0]
        version = requested_version(request, ROOMS_VERSIONS, first_version)
        size = self._settings.page_size
        with self._store.reading() as tx:
            rows = tx.rooms_page(None if resumed is None else resumed[1], size + 1)
        page: dict[str, Any] = {"value": [room_json(room) for _, room in rows[:size]]}
        if len(rows) > size:
            token = paging.encode_token(version, rows[size - 1][0])
            page["nextLink"] = paging.next_link(request, token, version)
        return json_response(200, page)

    def _new_room(self, tx: Transaction, body: dict[str, Any], version: str) -> RoomRecord:
        """Defaults: validFrom now, validUntil validFrom + 180 days, no PSTN dial-out (§2.1)."""
        now = self._now()
        fields = RoomFields.parse(body)
        participants = participant_changes(body, version, creating=True)
        check_participant_limit(len(participants), self._settings.max_participants)
        valid_from = now if fields.valid_from is None else fields.valid_from
        valid_until = first_set(fields.valid_until, valid_from + MAX_WINDOW_TICKS)
        check_window(valid_from, valid_until, now)
        pstn = bool(fields.pstn_dial_out_enabled)
        room = RoomRecord(_unused_room_id(tx), now, valid_from, valid_until, pstn)
        tx.save_room(room)
        for raw_id, role in participants.items():
            tx.upsert_participant(room.id, raw_id, str(role))
        return room

    def _now(self) -> int:
        return now_ticks(self._settings.clock)


def _created(room: RoomRecord, repeatability_result: str | None) -> Response:
    headers = {"Content-Type": "application/json; charset=utf-8", "Location": room.id}
    if repeatability_result is not None:
        headers["Repeatability-Result"] = repeatability_result
    return Response(201, json_bytes(room_json(room)), headers)


def _unused_room_id(tx: Transaction) -> str:
    """17 decimal digits starting "99", like the service's ids (not secrets: no need, and
    os.urandom per request costs a GIL hand-off)."""
    while True:
        room_id = f"99{_ids.randrange(10**15):015d}"
        if tx.room(room_id) is None:
            return room_id
