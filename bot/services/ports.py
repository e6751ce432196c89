"""What services need from the outside world. Adapters implement these; tests may too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from datetime import datetime, timedelta

    from bot.services.domain import AccessToken, AcsParticipant, AcsRoom, Role


class RoomsGateway(Protocol):
    """ACS Rooms. Every method raises only `bot.services.errors` types."""

    def create_room(
        self,
        *,
        valid_from: datetime,
        valid_until: datetime,
        pstn_dial_out_enabled: bool,
        participants: Mapping[str, Role],
        request_id: str,
    ) -> AcsRoom:
        """`request_id` becomes Repeatability-Request-ID: the same id never makes two rooms."""
        ...

    def get_room(self, room_id: str) -> AcsRoom: ...

    def update_room(
        self,
        room_id: str,
        *,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
        pstn_dial_out_enabled: bool | None = None,
    ) -> AcsRoom:
        """None leaves a field unchanged."""
        ...

    def list_rooms(self) -> Iterator[AcsRoom]: ...

    def upsert_participants(self, room_id: str, participants: Mapping[str, Role]) -> None: ...

    def list_participants(self, room_id: str) -> list[AcsParticipant]: ...

    def remove_participants(self, room_id: str, acs_ids: Sequence[str]) -> None: ...

    def delete_room(self, room_id: str) -> None:
        """Deleting a room that is already gone is not an error."""
        ...

    def probe(self) -> None:
        """One cheap signed read; raises what stops RoomBot from using ACS (for health checks)."""
        ...


class IdentityGateway(Protocol):
    """ACS Identity. Every method raises only `bot.services.errors` types."""

    def create_identity(self) -> str:
        """Returns the new raw id, `8:acs:...`."""
        ...

    def issue_voip_token(
        self, acs_id: str, *, expires_in: timedelta | None = None
    ) -> AccessToken: ...

    def revoke_tokens(self, acs_id: str) -> None: ...

    def delete_identity(self, acs_id: str) -> None: ...
