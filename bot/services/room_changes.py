"""Changing a room: its window, PSTN, roster, card, or its existence. ACS first, then the store.

Each change reads as its steps: load the room and check the actor's right, change ACS, then one
transaction writes the store, reads the room as written and stores what the attempt's writers
keep (its audit record, its reminders); when the store is down, ACS is put back (see undo.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol

from bot.services.access import Actor, require_manager
from bot.services.attempts import Action, Context, Outcome
from bot.services.details import to_details
from bot.services.errors import RoomNotFound, StoreUnavailable
from bot.services.records import load_details, require_live
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
    from collections.abc import Collection, Mapping
    from datetime import datetime, timedelta

    from sqlmodel import Session

    from bot.services.domain import Member, Role, RoomDetails, RoomKey, Workspace
    from storage.models import RoomRow


class Write(Protocol):
    """A change's store write (a storage.rooms write with its values given): the room as
    written, or None when the write leaves the room's own row as it was (a roster change)."""

    def __call__(self, session: Session, *, room_id: int) -> RoomRow | None: ...


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
            after = self._move_window(attempt, room, room.valid_from, end)
        return Change("extended", room, after, actor)

    def reschedule(
        self, workspace: Workspace, key: RoomKey, actor: Actor, start: datetime, end: datetime
    ) -> Change:
        attempt = _attempt(Action.ROOM_RESCHEDULED, workspace, key, actor)
        with self._telling_failures(attempt):
            room = self._live_room(workspace, key)
            require_manager(room, actor, "reschedule")
            after = self._move_window(attempt, room, start, end)
        return Change("rescheduled", room, after, actor)

    def _move_window(
        self, attempt: Context, room: RoomDetails, start: datetime, end: datetime
    ) -> RoomDetails:
        check_window(start, end, now=self._clock())
        acs = self._rooms.update_room(room.acs_room_id, valid_from=start, valid_until=end)
        write = partial(
            repo.update_room,
            now=self._clock(),
            valid_from=acs.valid_from,
            valid_until=acs.valid_until,
        )
        store = partial(self._store, attempt, room, write)
        return store_or_undo(room, store, window_undo(self._rooms, room))

    def set_pstn(
        self, workspace: Workspace, key: RoomKey, actor: Actor, *, enabled: bool
    ) -> Change:
        wanted = "on" if enabled else "off"
        attempt = _attempt(Action.PSTN_CHANGED, workspace, key, actor, pstn=wanted)
        with self._telling_failures(attempt):
            room = self._live_room(workspace, key)
            require_manager(room, actor, "change PSTN dial-out for")
            acs = self._rooms.update_room(room.acs_room_id, pstn_dial_out_enabled=enabled)
            write = partial(
                repo.update_room, now=self._clock(), pstn_dial_out_enabled=acs.pstn_dial_out_enabled
            )
            store = partial(self._store, attempt, room, write)
            after = store_or_undo(room, store, pstn_undo(self._rooms, room))
        action = "pstn_enabled" if enabled else "pstn_disabled"
        return Change(action, room, after, actor)

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
            write = partial(repo.upsert_members, members=rows, now=self._clock())
            after = store_or_undo(room, partial(self._store, attempt, room, write), undo)
        return Change(action, room, after, actor)

    def remove_members(
        self, workspace: Workspace, key: RoomKey, actor: Actor, slack_user_ids: Collection[str]
    ) -> Change:
        detail = people_named(slack_user_ids)
        attempt = _attempt(Action.PARTICIPANTS_REMOVED, workspace, key, actor, people=detail)
        with self._telling_failures(attempt):
            room = self._live_room(workspace, key)
            leaving = members_leaving(room, actor, slack_user_ids)
            after = self._take_out(attempt, room, leaving) if leaving else room
        if not leaving:  # nobody to take out: nothing to store, still an attempt that was made
            self.attempts.tell(attempt.ended(Outcome.OK, self._clock(), before=room, after=room))
        return Change("removed", room, after, actor)

    def _take_out(self, attempt: Context, room: RoomDetails, leaving: list[Member]) -> RoomDetails:
        acs_ids = [m.acs_id for m in leaving]
        self._rooms.remove_participants(room.acs_room_id, acs_ids)
        write = partial(repo.remove_members, slack_user_ids=[m.slack_user_id for m in leaving])
        store = partial(self._store, attempt, room, write)
        return store_or_undo(room, store, roster_undo(self._rooms, room, acs_ids))

    # --- card and deletion --------------------------------------------------------------

    def delete(self, workspace: Workspace, key: RoomKey, actor: Actor) -> Change:
        attempt = _attempt(Action.ROOM_DELETED, workspace, key, actor)
        with self._telling_failures(attempt):
            room = self._live_room(workspace, key)
            require_manager(room, actor, "delete")
            self._rooms.delete_room(room.acs_room_id)
            after = self._store_deleted(attempt, room)
        return Change("deleted", room, after, actor)

    def _store_deleted(self, attempt: Context, room: RoomDetails) -> RoomDetails:
        # A deleted ACS room cannot be undone; deleting again later finishes the job.
        try:
            return self._store(attempt, room, partial(repo.mark_deleted, now=self._clock()))
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
        write = partial(repo.set_card, channel_id=channel_id, card_ts=card_ts, now=self._clock())
        return self._store(None, room, write)

    # --- steps every change takes -------------------------------------------------------

    def _live_room(self, workspace: Workspace, key: RoomKey) -> RoomDetails:
        with unit_of_work(self._engine) as session:
            room = load_details(session, workspace, key)
        require_live(room)
        return room

    def _store(self, attempt: Context | None, room: RoomDetails, write: Write) -> RoomDetails:
        """One transaction: `write`, the room as written, and the attempt's success with what
        its writers keep (audit record, reminders); its observers hear it once committed."""
        assert room.store_id is not None  # rooms read from the store always have one
        with unit_of_work(self._engine) as session:
            row = write(session, room_id=room.store_id) or _row(session, room, room.store_id)
            after = to_details(
                room.workspace, row, repo.list_members(session, room_id=room.store_id)
            )
            committed = attempt and self._told_within(session, attempt, room, after)
        if committed:
            committed()
        return after


def _attempt(action: str, ws: Workspace, key: RoomKey, actor: Actor, **detail: str) -> Context:
    return Context(action, ws, actor.user_id, key.number, detail)


def _row(session: Session, room: RoomDetails, room_id: int) -> RoomRow:
    """The room's row, read in the transaction that changed its roster."""
    ws = room.workspace
    row = repo.get_room(
        session, enterprise_id=ws.enterprise_id, team_id=ws.team_id, room_id=room_id
    )
    if row is None:  # rooms are marked deleted, never removed; one gone is a bad store id
        raise RoomNotFound(f"I can't find room #{room.number} in this workspace.")
    return row
