"""Room participants: list and upsert/remove by PATCH (ACS_REST.md §2.5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from acs_emulator import paging
from acs_emulator.rooms_api import RoomsSettings, existing_room
from acs_emulator.rooms_rules import (
    check_participant_limit,
    check_room_id,
    json_object,
    participant_changes,
)
from acs_emulator.versions import ROOMS_VERSIONS, requested_version
from acs_emulator.wire import Request, Response, json_response

if TYPE_CHECKING:
    from acs_emulator.store import Store


class ParticipantsApi:
    def __init__(self, store: Store, settings: RoomsSettings) -> None:
        self._store = store
        self._settings = settings

    def update(self, request: Request, room_id: str) -> Response:
        """Upsert in place (new members go last); a null role removes, even a non-member."""
        version = requested_version(request, ROOMS_VERSIONS)
        check_room_id(room_id)
        changes = participant_changes(json_object(request.body), version, creating=False)
        with self._store.transaction() as tx:
            existing_room(tx, room_id)
            for raw_id, role in changes.items():
                if role is None:
                    tx.remove_participant(room_id, raw_id)
                else:
                    tx.upsert_participant(room_id, raw_id, role)
            count = len(tx.participants(room_id))
            check_participant_limit(count, self._settings.max_participants)  # rolls back
        return json_response(200, {})

    def list(self, request: Request, room_id: str) -> Response:
        resumed = paging.continuation(request)
        first_version = None if resumed is None else resumed[0]
        version = requested_version(request, ROOMS_VERSIONS, first_version)
        check_room_id(room_id)
        size = self._settings.page_size
        with self._store.reading() as tx:
            existing_room(tx, room_id)
            rows = tx.participants_page(room_id, None if resumed is None else resumed[1], size + 1)
        page: dict[str, Any] = {
            "value": [{"rawId": raw_id, "role": role} for _, raw_id, role in rows[:size]]
        }
        if len(rows) > size:
            token = paging.encode_token(version, rows[size - 1][0])
            page["nextLink"] = paging.next_link(request, token, version)
        return json_response(200, page)
