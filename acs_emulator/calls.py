"""Room calls, in memory: at most one per room, started by the first join, ended by the last
leave. Every change publishes its calling events in order, under the one lock, so the Event Grid
queue holds them in the order they happened."""

from __future__ import annotations

import base64
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from acs_emulator import calling_events
from acs_emulator.records import Call, CallParticipant
from acs_emulator.timefmt import now_ticks

if TYPE_CHECKING:
    from acs_emulator.timefmt import Clock

Publish = Callable[[dict[str, Any]], None]
ROSTER_REMOVED = (5317, "Invite to room removed")  # the UI library's sub-code for this case
ROOM_DELETED = (0, "The room was deleted")
_REMEMBERED_LEAVES = 10_000  # so a repeated leave stays 204 for a while


class Calls:
    def __init__(self, clock: Clock | None, publish: Publish) -> None:
        self._clock = clock
        self._publish = publish
        self._lock = threading.Lock()
        self._by_room: dict[str, Call] = {}
        self._by_id: dict[str, Call] = {}
        self._left: OrderedDict[tuple[str, str], None] = OrderedDict()

    def join(
        self, room_id: str, raw_id: str, display_name: str, admit: Callable[[], str]
    ) -> tuple[Call, CallParticipant]:
        """`admit` checks the room and roster and returns the role, or raises; it runs under
        the lock so a roster change cannot slip between the check and the join."""
        with self._lock:
            role = admit()
            now = self._now()
            who = CallParticipant(str(uuid.uuid4()), raw_id, display_name, role)
            call = self._by_room.get(room_id)
            if call is None:
                call = Call(_server_call_id(), room_id, str(uuid.uuid4()), now, who, {})
                self._by_room[room_id] = self._by_id[call.server_call_id] = call
                self._publish(calling_events.call_started(call, now))
            call.participants[who.participant_id] = who
            self._publish(calling_events.participant_added(call, who, now))
            return _copy(call), who

    def leave(self, server_call_id: str, participant_id: str) -> bool:
        """True when they have left (now or before); False for an unknown participant."""
        with self._lock:
            if (server_call_id, participant_id) in self._left:
                return True
            call = self._by_id.get(server_call_id)
            if call is None or participant_id not in call.participants:
                return False
            self._remove(call, participant_id, (0, "Left the call"))
            return True

    def call(self, server_call_id: str) -> Call | None:
        with self._lock:
            call = self._by_id.get(server_call_id)
            return None if call is None else _copy(call)

    def room_changed(self, room_id: str, roster: Callable[[], dict[str, str] | None]) -> None:
        """After a roster change or a deletion: `roster()` gives raw id -> role, None for a
        deleted room. Those no longer on it are removed; a deleted room's call ends."""
        with self._lock:
            call = self._by_room.get(room_id)
            if call is None:
                return
            members = roster()
            reason = ROOM_DELETED if members is None else ROSTER_REMOVED
            for participant_id, who in list(call.participants.items()):
                if members is None or who.raw_id not in members:
                    self._remove(call, participant_id, reason)

    def _remove(self, call: Call, participant_id: str, reason: tuple[int, str]) -> None:
        who = call.participants.pop(participant_id)
        self._left[(call.server_call_id, participant_id)] = None
        if len(self._left) > _REMEMBERED_LEAVES:
            self._left.popitem(last=False)
        now = self._now()
        self._publish(calling_events.participant_removed(call, who, now, reason))
        if not call.participants:
            del self._by_room[call.room_id], self._by_id[call.server_call_id]
            self._publish(calling_events.call_ended(call, who, now))

    def _now(self) -> int:
        return now_ticks(self._clock)


def _server_call_id() -> str:
    """Base64 of a conversation URL, as ACS's are; URL-safe and unpadded, as it goes in paths."""
    url = f"https://acs-emulator.invalid/conv/{uuid.uuid4()}?i=0"
    return base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def _copy(call: Call) -> Call:
    return replace(call, participants=dict(call.participants))
