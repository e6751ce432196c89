"""Queries over the emulator's tables; used only inside Store.transaction() or Store.reading()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from acs_emulator.records import IdentityRecord, RememberedResponse, RoomRecord

if TYPE_CHECKING:
    import sqlite3


class Transaction:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # Rooms -------------------------------------------------------------------------------

    def room(self, room_id: str) -> RoomRecord | None:
        sql = "SELECT id, created_at, valid_from, valid_until, pstn FROM rooms WHERE id = ?"
        row = self._db.execute(sql, (room_id,)).fetchone()
        return None if row is None else _room(row)

    def save_room(self, room: RoomRecord) -> None:
        """Insert a new room, or update one in place (keeping its list position)."""
        self._db.execute(
            "INSERT INTO rooms (id, created_at, valid_from, valid_until, pstn)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE"
            " SET valid_from = excluded.valid_from, valid_until = excluded.valid_until,"
            " pstn = excluded.pstn",
            (
                room.id,
                room.created_at,
                room.valid_from,
                room.valid_until,
                room.pstn_dial_out_enabled,
            ),
        )

    def delete_room(self, room_id: str) -> None:
        self._db.execute("DELETE FROM participants WHERE room_id = ?", (room_id,))
        self._db.execute("DELETE FROM rooms WHERE id = ?", (room_id,))

    def rooms_page(self, before_seq: int | None, limit: int) -> list[tuple[int, RoomRecord]]:
        """Newest first, as the service lists them; keyset paging so creates do not shift pages."""
        sql = (
            "SELECT seq, id, created_at, valid_from, valid_until, pstn FROM rooms"
            " WHERE seq < ? ORDER BY seq DESC LIMIT ?"
        )
        rows = self._db.execute(sql, (before_seq or 2**62, limit)).fetchall()
        return [(row[0], _room(row[1:])) for row in rows]

    def all_rooms(self) -> list[RoomRecord]:
        sql = "SELECT id, created_at, valid_from, valid_until, pstn FROM rooms ORDER BY seq"
        rows = self._db.execute(sql).fetchall()
        return [_room(row) for row in rows]

    # Participants ------------------------------------------------------------------------

    def participants(self, room_id: str) -> dict[str, str]:
        sql = "SELECT raw_id, role FROM participants WHERE room_id = ? ORDER BY seq"
        return dict(self._db.execute(sql, (room_id,)))

    def participants_page(
        self, room_id: str, after_seq: int | None, limit: int
    ) -> list[tuple[int, str, str]]:
        sql = (
            "SELECT seq, raw_id, role FROM participants WHERE room_id = ? AND seq > ?"
            " ORDER BY seq LIMIT ?"
        )
        return list(self._db.execute(sql, (room_id, after_seq or 0, limit)))

    def upsert_participant(self, room_id: str, raw_id: str, role: str) -> None:
        """A new member goes to the end; an existing one keeps its place and gets the new role."""
        self._db.execute(
            "INSERT INTO participants (room_id, raw_id, role) VALUES (?, ?, ?)"
            " ON CONFLICT (room_id, raw_id) DO UPDATE SET role = excluded.role",
            (room_id, raw_id, role),
        )

    def remove_participant(self, room_id: str, raw_id: str) -> None:
        sql = "DELETE FROM participants WHERE room_id = ? AND raw_id = ?"
        self._db.execute(sql, (room_id, raw_id))

    # Identities --------------------------------------------------------------------------

    def identity(self, identity_id: str) -> IdentityRecord | None:
        sql = "SELECT id, created_at, tokens_revoked_at FROM identities WHERE id = ?"
        row = self._db.execute(sql, (identity_id,)).fetchone()
        return None if row is None else IdentityRecord(*row)

    def save_identity(self, identity: IdentityRecord) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO identities (id, created_at, tokens_revoked_at)"
            " VALUES (?, ?, ?)",
            (identity.id, identity.created_at, identity.tokens_revoked_at),
        )

    def delete_identity(self, identity_id: str) -> None:
        self._db.execute("DELETE FROM identities WHERE id = ?", (identity_id,))

    def identity_ids(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT id FROM identities")}

    # Repeatability -----------------------------------------------------------------------

    def remembered(self, request_id: str) -> RememberedResponse | None:
        sql = "SELECT * FROM repeatability WHERE request_id = ?"
        row = self._db.execute(sql, (request_id,)).fetchone()
        return None if row is None else RememberedResponse(*row)

    def remember(self, entry: RememberedResponse) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO repeatability VALUES (?, ?, ?, ?, ?, ?)",
            (
                entry.request_id,
                entry.fingerprint,
                entry.first_sent,
                entry.status,
                entry.body,
                entry.location,
            ),
        )

    def forget_repeatability_before(self, first_sent: int) -> None:
        self._db.execute("DELETE FROM repeatability WHERE first_sent < ?", (first_sent,))

    def keep_newest_repeatability(self, keep_at_most: int) -> None:
        self._db.execute(
            "DELETE FROM repeatability WHERE request_id NOT IN"
            " (SELECT request_id FROM repeatability ORDER BY first_sent DESC LIMIT ?)",
            (keep_at_most,),
        )


def _room(row: tuple[Any, ...]) -> RoomRecord:
    room_id, created_at, valid_from, valid_until, pstn = row
    return RoomRecord(room_id, created_at, valid_from, valid_until, bool(pstn))
