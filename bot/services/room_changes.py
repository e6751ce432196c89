"""Changing a room: its window, PSTN, roster, card, or its existence. ACS first, then the store.

Each change reads as its steps: load the room and check the actor's right, change ACS, write the
store (putting ACS back when the store is down, see undo.py), read the room back, tell the attempt.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from bot.services.access import Actor, require_manager
from bot.services.attempts import Action, Context, Outcome
from bot.services.domain import Role, RoomDetails, RoomKey, Workspace
from bot.services.errors import AccessDenied, RoomBotError, StoreUnavailable
from bot.services.records import find_row, load_details, require_live
from bot.services.room_roster import (
    members_leaving,
    people_and_roles,
    people_named,
    require_right_to_set,
    roster_action,
)
from bot.services.rooms import RoomUseCases
from bot.services.undo import DELETE_UNFINISHED, pstn_undo, roster_undo, store_or_undo, window_undo
from bot.services.uow import unit_of_work
from bot.services.windows import check_window
from storage import rooms as repo

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Mapping
    from datetime import datetime, timedelta

    from sqlmodel import Session

    from bot.services.domain import Member


@dataclass(frozen=True)
class Change:
    """What happened, for replies, the card's thread and (later) the audit trail."""

    action: str
    before: RoomDetails
    after: RoomDetails
    actor: Actor


class RoomChanges(RoomUseCases):
    """Changing rooms that exist; every change re-checks the actor's rights."""

    # --- window and PSTN ----------------------------------------------------------------

    def extend(self, workspace: Workspace, key: RoomKey, actor: Actor, by: timedelta) -> Change:
        attempt = _attempt(Action.ROOM_EXTENDED, workspace, key, actor, by=str(by))
        with self._telling_failures(attempt):
            room = self._live_room(workspace, key)
            require_manager(room, actor, "extend")
            # An ended room reopens from now rather than from its old end.
            end = max(room.valid_until, self._clock()) + by
            after = self._move_window(room, room.valid_from, end)
        return self._tell_done(attempt, Change("extended", room, after, actor))

    def reschedule(
        self, workspace: Workspace, key: RoomKey, actor: Actor, start: datetime, end: datetime
    ) -> Change:
        attempt = _attempt(Action.ROOM_RESCHEDULED, workspace, key, actor)
        with self._telling_failures(attempt):
            room = self._live_room(workspace, key)
            require_manager(room, actor, "reschedule")
            after = self._move_window(room, start, end)
        return self._tell_done(attempt, Change("rescheduled", room, after, actor))

    def _move_window(self, room: RoomDetails, start: datetime, end: datetime) -> RoomDetails:
        check_window(start, end, now=self._clock())
        acs = self._rooms.update_room(room.acs_room_id, valid_from=start, valid_until=end)
        store = partial(self._store_window, room, acs.valid_from, acs.valid_until)
        return store_or_undo(room, store, window_undo(self._rooms, room))

    def _store_window(self, room: RoomDetails, start: datetime, end: datetime) -> RoomDetails:
        with unit_of_work(self._engine) as session:
            row_id = _row_id(session, room)
            repo.update_room(
                session, room_id=row_id, now=self._clock(), valid_from=start, valid_until=end
            )
            return _read_back(session, room)

    def set_pstn(
        self, workspace: Workspace, key: RoomKey, actor: Actor, *, enabled: bool
    ) -> Change:
        wanted = "on" if enabled else "off"
        attempt = _attempt(Action.PSTN_CHANGED, workspace, key, actor, pstn=wanted)
        with self._telling_failures(attempt):
            room = self._live_room(workspace, key)
            require_manager(room, actor, "change PSTN dial-out for")
            acs = self._rooms.update_room(room.acs_room_id, pstn_dial_out_enabled=enabled)
            store = partial(self._store_pstn, room, acs.pstn_dial_out_enabled)
            after = store_or_undo(room, store, pstn_undo(self._rooms, room))
        action = "pstn_enabled" if enabled else "pstn_disabled"
        return self._tell_done(attempt, Change(action, room, after, actor))

    def _store_pstn(self, room: RoomDetails, enabled: bool) -> RoomDetails:
        with unit_of_work(self._engine) as session:
            row_id = _row_id(session, room)
            repo.update_room(
                session, room_id=row_id, now=self._clock(), pstn_dial_out_enabled=enabled
            )
            return _read_back(session, room)

    # --- roster -------------------------------------------------------------------------

    def add_members(
        self,
        workspace: Workspace,
        key: RoomKey,
        actor: Actor,
        members: Mapping[str, Role],
        *,
        action: str = "invited",
    ) -> Change:
        """Invite people, or change the role of people already in the room (same ACS upsert)."""
        detail = people_and_roles(members)
        attempt = _attempt(roster_action(action), workspace, key, actor, people=detail)
        with self._telling_failures(attempt):
            room = self._live_room(workspace, key)
            require_right_to_set(room, actor, members)
            acs_ids = self._identities.ensure_identities(workspace, list(members))
            roles = {acs_ids[user]: role for user, role in members.items()}
            self._rooms.upsert_participants(room.acs_room_id, roles)
            rows = [(user, acs_ids[user], role.value) for user, role in members.items()]
            undo = roster_undo(self._rooms, room, [acs_ids[user] for user in members])
            after = store_or_undo(room, partial(self._store_members, room, rows), undo)
        return self._tell_done(attempt, Change(action, room, after, actor))

    def _store_members(self, room: RoomDetails, rows: list[tuple[str, str, str]]) -> RoomDetails:
        with unit_of_work(self._engine) as session:
            row_id = _row_id(session, room)
            repo.upsert_members(session, room_id=row_id, members=rows, now=self._clock())
            return _read_back(session, room)

    def remove_members(
        self, workspace: Workspace, key: RoomKey, actor: Actor, slack_user_ids: Collection[str]
    ) -> Change:
        detail = people_named(slack_user_ids)
        attempt = _attempt(Action.PARTICIPANTS_REMOVED, workspace, key, actor, people=detail)
        with self._telling_failures(attempt):
            room = self._live_room(workspace, key)
            leaving = members_leaving(room, actor, slack_user_ids)
            after = self._take_out(room, leaving) if leaving else room
        return self._tell_done(attempt, Change("removed", room, after, actor))

    def _take_out(self, room: RoomDetails, leaving: list[Member]) -> RoomDetails:
        acs_ids = [m.acs_id for m in leaving]
        self._rooms.remove_participants(room.acs_room_id, acs_ids)
        store = partial(self._store_removed, room, [m.slack_user_id for m in leaving])
        return store_or_undo(room, store, roster_undo(self._rooms, room, acs_ids))

    def _store_removed(self, room: RoomDetails, slack_user_ids: list[str]) -> RoomDetails:
        with unit_of_work(self._engine) as session:
            row_id = _row_id(session, room)
            repo.remove_members(session, room_id=row_id, slack_user_ids=slack_user_ids)
            return _read_back(session, room)

    # --- card and deletion --------------------------------------------------------------

    def delete(self, workspace: Workspace, key: RoomKey, actor: Actor) -> Change:
        attempt = _attempt(Action.ROOM_DELETED, workspace, key, actor)
        with self._telling_failures(attempt):
            room = self._live_room(workspace, key)
            require_manager(room, actor, "delete")
            self._rooms.delete_room(room.acs_room_id)
            after = self._store_deleted(room)
        return self._tell_done(attempt, Change("deleted", room, after, actor))

    def _store_deleted(self, room: RoomDetails) -> RoomDetails:
        # A deleted ACS room cannot be undone; deleting again later finishes the job.
        try:
            with unit_of_work(self._engine) as session:
                row_id = _row_id(session, room)
                repo.mark_deleted(session, room_id=row_id, now=self._clock())
                return _read_back(session, room)
        except StoreUnavailable:
            raise StoreUnavailable(DELETE_UNFINISHED.format(number=room.number)) from None

    def deletable(self, workspace: Workspace, key: RoomKey, actor: Actor) -> RoomDetails:
        """The room, when `actor` may delete it. Asking to delete counts as an attempt: a
        refusal here is reported (denied) just like a refused delete button."""
        with self._telling_failures(_attempt(Action.ROOM_DELETED, workspace, key, actor)):
            room = self._live_room(workspace, key)
            require_manager(room, actor, "delete")
        return room  # only the delete itself is told as done

    def set_card(self, room: RoomDetails, *, channel_id: str, card_ts: str) -> RoomDetails:
        """Remember where the room's card is, so later changes update it in place."""
        with unit_of_work(self._engine) as session:
            row_id = _row_id(session, room)
            repo.set_card(
                session, room_id=row_id, channel_id=channel_id, card_ts=card_ts, now=self._clock()
            )
            return _read_back(session, room)

    # --- steps every change takes -------------------------------------------------------

    def _live_room(self, workspace: Workspace, key: RoomKey) -> RoomDetails:
        with unit_of_work(self._engine) as session:
            room = load_details(session, workspace, key)
        require_live(room)
        return room

    @contextmanager
    def _telling_failures(self, attempt: Context) -> Iterator[None]:
        """Tell a refused or failed attempt, then let its error reach the caller unchanged."""
        try:
            yield
        except AccessDenied as denied:
            self.attempts.tell(attempt.ended(Outcome.DENIED, self._clock(), reason=denied.message))
            raise
        except RoomBotError as failed:
            self.attempts.tell(attempt.ended(Outcome.FAILED, self._clock(), reason=failed.message))
            raise

    def _tell_done(self, attempt: Context, change: Change) -> Change:
        done = attempt.ended(Outcome.OK, self._clock(), before=change.before, after=change.after)
        self.attempts.tell(done)
        return change


def _attempt(action: str, ws: Workspace, key: RoomKey, actor: Actor, **detail: str) -> Context:
    return Context(action, ws, actor.user_id, key.number, detail)


def _row_id(session: Session, room: RoomDetails) -> int:
    row = find_row(session, room.workspace, RoomKey(number=room.number))
    assert row.id is not None  # rows read from the store always have one
    return row.id


def _read_back(session: Session, room: RoomDetails) -> RoomDetails:
    """The room as just written, read in the same transaction as the write."""
    return load_details(session, room.workspace, RoomKey(number=room.number))
