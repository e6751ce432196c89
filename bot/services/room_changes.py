"""Changing a room: its window, PSTN, roster, card, or its existence. ACS first, then the store."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.services.access import Actor, require_manager, require_roster_right
from bot.services.attempts import Action, Context
from bot.services.domain import Role, RoomDetails, Workspace
from bot.services.errors import InvalidInput, StoreUnavailable
from bot.services.records import RoomKey, find_row, load_details, require_live
from bot.services.rooms import RoomUseCases
from bot.services.undo import (
    DELETE_UNFINISHED,
    pstn_undo,
    roster_undo,
    store_or_undo,
    window_undo,
)
from bot.services.uow import unit_of_work
from bot.services.windows import check_window
from storage import rooms as repo


@dataclass(frozen=True)
class Change:
    """What happened, for replies, the card's thread and (later) the audit trail."""

    action: str
    before: RoomDetails
    after: RoomDetails
    actor: Actor


class RoomChanges(RoomUseCases):
    """Changing rooms that exist; every change re-checks the actor's rights."""

    def _load(self, workspace: Workspace, key: RoomKey) -> RoomDetails:
        with unit_of_work(self._engine) as session:
            room = load_details(session, workspace, key)
        require_live(room)
        return room

    # --- window and PSTN ----------------------------------------------------------------

    def _change(
        self,
        action: str,
        workspace: Workspace,
        key: RoomKey,
        actor: Actor,
        work: Callable[[], Change],
        **detail: str,
    ) -> Change:
        context = Context(action, workspace, actor.user_id, key.number, detail)
        return self._reported(context, work, lambda change: (change.before, change.after))

    def extend(self, workspace: Workspace, key: RoomKey, actor: Actor, by: timedelta) -> Change:
        work = lambda: self._extend(workspace, key, actor, by)  # noqa: E731
        return self._change(Action.ROOM_EXTENDED, workspace, key, actor, work, by=str(by))

    def _extend(self, workspace: Workspace, key: RoomKey, actor: Actor, by: timedelta) -> Change:
        room = self._load(workspace, key)
        require_manager(room, actor, "extend")
        # An ended room reopens from now rather than from its old end.
        end = max(room.valid_until, self._clock()) + by
        return self._set_window(room, actor, "extended", room.valid_from, end)

    def reschedule(
        self, workspace: Workspace, key: RoomKey, actor: Actor, start: datetime, end: datetime
    ) -> Change:
        work = lambda: self._reschedule(workspace, key, actor, start, end)  # noqa: E731
        return self._change(Action.ROOM_RESCHEDULED, workspace, key, actor, work)

    def _reschedule(
        self, workspace: Workspace, key: RoomKey, actor: Actor, start: datetime, end: datetime
    ) -> Change:
        room = self._load(workspace, key)
        require_manager(room, actor, "reschedule")
        return self._set_window(room, actor, "rescheduled", start, end)

    def _set_window(
        self, room: RoomDetails, actor: Actor, action: str, start: datetime, end: datetime
    ) -> Change:
        check_window(start, end, now=self._clock())
        acs = self._rooms.update_room(room.acs_room_id, valid_from=start, valid_until=end)
        after = store_or_undo(
            room,
            lambda: self._write(
                room,
                lambda s, rid: repo.update_room(
                    s,
                    room_id=rid,
                    now=self._clock(),
                    valid_from=acs.valid_from,
                    valid_until=acs.valid_until,
                ),
            ),
            window_undo(self._rooms, room),
        )
        return Change(action, room, after, actor)

    def set_pstn(
        self, workspace: Workspace, key: RoomKey, actor: Actor, *, enabled: bool
    ) -> Change:
        work = lambda: self._set_pstn(workspace, key, actor, enabled=enabled)  # noqa: E731
        wanted = "on" if enabled else "off"
        return self._change(Action.PSTN_CHANGED, workspace, key, actor, work, pstn=wanted)

    def _set_pstn(
        self, workspace: Workspace, key: RoomKey, actor: Actor, *, enabled: bool
    ) -> Change:
        room = self._load(workspace, key)
        require_manager(room, actor, "change PSTN dial-out for")
        acs = self._rooms.update_room(room.acs_room_id, pstn_dial_out_enabled=enabled)
        enabled_now = acs.pstn_dial_out_enabled
        after = store_or_undo(
            room,
            lambda: self._write(
                room,
                lambda s, rid: repo.update_room(
                    s, room_id=rid, now=self._clock(), pstn_dial_out_enabled=enabled_now
                ),
            ),
            pstn_undo(self._rooms, room),
        )
        return Change("pstn_enabled" if enabled else "pstn_disabled", room, after, actor)

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
        work = lambda: self._add_members(workspace, key, actor, members, action)  # noqa: E731
        audited = Action.PARTICIPANTS_REROLED if action == "re-roled" else Action.PARTICIPANTS_ADDED
        people = ",".join(f"{user}:{role.value}" for user, role in members.items())
        return self._change(audited, workspace, key, actor, work, people=people[:2000])

    def _add_members(
        self,
        workspace: Workspace,
        key: RoomKey,
        actor: Actor,
        members: Mapping[str, Role],
        action: str,
    ) -> Change:
        room = self._load(workspace, key)
        current = {m.slack_user_id: m.role for m in room.members}
        affected = set(members.values()) | {current[u] for u in members if u in current}
        require_roster_right(room, actor, affected)
        if room.organizer_id in members and members[room.organizer_id] is not Role.PRESENTER:
            raise InvalidInput("The organizer always stays a Presenter.", field="people")
        acs_ids = self._identities.ensure_identities(workspace, list(members))
        self._rooms.upsert_participants(
            room.acs_room_id, {acs_ids[u]: role for u, role in members.items()}
        )
        rows = [(u, acs_ids[u], role.value) for u, role in members.items()]
        after = store_or_undo(
            room,
            lambda: self._write(
                room,
                lambda s, rid: repo.upsert_members(s, room_id=rid, members=rows, now=self._clock()),
            ),
            roster_undo(self._rooms, room, [acs_ids[u] for u in members]),
        )
        return Change(action, room, after, actor)

    def remove_members(
        self, workspace: Workspace, key: RoomKey, actor: Actor, slack_user_ids: Collection[str]
    ) -> Change:
        work = lambda: self._remove_members(workspace, key, actor, slack_user_ids)  # noqa: E731
        people = ",".join(slack_user_ids)[:2000]
        return self._change(Action.PARTICIPANTS_REMOVED, workspace, key, actor, work, people=people)

    def _remove_members(
        self, workspace: Workspace, key: RoomKey, actor: Actor, slack_user_ids: Collection[str]
    ) -> Change:
        room = self._load(workspace, key)
        leaving = [m for m in room.members if m.slack_user_id in set(slack_user_ids)]
        if room.organizer_id in slack_user_ids:
            raise InvalidInput("The organizer can't be removed from their own room.")
        require_roster_right(room, actor, {m.role for m in leaving})
        if not leaving:
            return Change("removed", room, room, actor)
        self._rooms.remove_participants(room.acs_room_id, [m.acs_id for m in leaving])
        gone = [m.slack_user_id for m in leaving]
        after = store_or_undo(
            room,
            lambda: self._write(
                room, lambda s, rid: repo.remove_members(s, room_id=rid, slack_user_ids=gone)
            ),
            roster_undo(self._rooms, room, [m.acs_id for m in leaving]),
        )
        return Change("removed", room, after, actor)

    def _write(self, room: RoomDetails, write: Callable[[Session, int], object]) -> RoomDetails:
        """Write to the room's row and read the room back in one transaction: both or neither."""
        with unit_of_work(self._engine) as session:
            row = find_row(session, room.workspace, RoomKey(number=room.number))
            assert row.id is not None
            write(session, row.id)
            return load_details(session, room.workspace, RoomKey(number=room.number))

    # --- card and deletion --------------------------------------------------------------

    def delete(self, workspace: Workspace, key: RoomKey, actor: Actor) -> Change:
        work = lambda: self._delete(workspace, key, actor)  # noqa: E731
        return self._change(Action.ROOM_DELETED, workspace, key, actor, work)

    def deletable(self, workspace: Workspace, key: RoomKey, actor: Actor) -> RoomDetails:
        """The room, when `actor` may delete it. Asking to delete counts as an attempt: a
        refusal here is reported (denied) just like a refused delete button."""
        context = Context(Action.ROOM_DELETED, workspace, actor.user_id, key.number)

        def check() -> RoomDetails:
            room = self._load(workspace, key)
            require_manager(room, actor, "delete")
            return room

        return self._reported(context, check, lambda _room: None)

    def _delete(self, workspace: Workspace, key: RoomKey, actor: Actor) -> Change:
        room = self._load(workspace, key)
        require_manager(room, actor, "delete")
        self._rooms.delete_room(room.acs_room_id)
        try:
            after = self._write(
                room, lambda s, rid: repo.mark_deleted(s, room_id=rid, now=self._clock())
            )
        except StoreUnavailable:
            raise StoreUnavailable(DELETE_UNFINISHED.format(number=room.number)) from None
        return Change("deleted", room, after, actor)

    def set_card(self, room: RoomDetails, *, channel_id: str, card_ts: str) -> RoomDetails:
        """Remember where the room's card is, so later changes update it in place."""
        return self._write(
            room,
            lambda s, rid: repo.set_card(
                s, room_id=rid, channel_id=channel_id, card_ts=card_ts, now=self._clock()
            ),
        )
