"""Changing a room: its window, PSTN, roster, card, or its existence. ACS first, then the store.

Each change reads as its steps (bot/services/change_steps.py): take the room's turn and load it,
check the actor's right, change ACS, then one transaction writes the store, reads the room as
written and stores what the attempt's writers keep (its audit record, its reminders) and the
job's count of its changes; when the store is down, ACS is put back (see undo.py). A change a
job's earlier run stored is not made again (bot/services/job_steps.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from bot.services.access import Actor, require_manager
from bot.services.attempts import Action, Context, Outcome
from bot.services.change_steps import ChangeSteps
from bot.services.errors import ChangedSince, StoreUnavailable
from bot.services.job_steps import Step, planned_window
from bot.services.room_roster import (
    members_leaving,
    people_and_roles,
    people_named,
    require_right_to_set,
    roster_action,
)
from bot.services.rooms import RoomUseCases
from bot.services.undo import DELETE_UNFINISHED, pstn_undo, roster_undo, store_or_undo, window_undo
from bot.services.windows import check_window
from storage import rooms as repo

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping
    from datetime import datetime, timedelta

    from bot.services.domain import Member, Role, RoomDetails, RoomKey, Workspace


@dataclass(frozen=True)
class Change:
    """What happened, for replies, the card's thread and (later) the audit trail."""

    action: str
    before: RoomDetails
    after: RoomDetails
    actor: Actor


class RoomChanges(ChangeSteps, RoomUseCases):
    """Changing rooms that exist; every change re-checks the actor's rights."""

    # --- window and PSTN ----------------------------------------------------------------

    def extend(
        self,
        workspace: Workspace,
        key: RoomKey,
        actor: Actor,
        by: timedelta,
        *,
        shown_until: datetime | None = None,
    ) -> Change:
        """Extend by `by`; with `shown_until` (a button's), only a room still ending then."""
        attempt = _attempt(Action.ROOM_EXTENDED, workspace, key, actor, by=str(by))
        with self._telling_failures(attempt), self._changing(workspace, key) as (room, step):
            if step is not None and step.applied:
                return Change("extended", room, room, actor)
            require_manager(room, actor, "extend")
            require_unchanged(room, shown_until)
            # An ended room reopens from now rather than from its old end.
            start, end = planned_window(
                step, lambda: (room.valid_from, max(room.valid_until, self._clock()) + by)
            )
            after = self._move_window(attempt, room, start, end, step)
        return Change("extended", room, after, actor)

    def reschedule(
        self, workspace: Workspace, key: RoomKey, actor: Actor, start: datetime, end: datetime
    ) -> Change:
        attempt = _attempt(Action.ROOM_RESCHEDULED, workspace, key, actor)
        with self._telling_failures(attempt), self._changing(workspace, key) as (room, step):
            if step is not None and step.applied:
                return Change("rescheduled", room, room, actor)
            require_manager(room, actor, "reschedule")
            start, end = planned_window(step, lambda: (start, end))
            after = self._move_window(attempt, room, start, end, step)
        return Change("rescheduled", room, after, actor)

    def _move_window(
        self,
        attempt: Context,
        room: RoomDetails,
        start: datetime,
        end: datetime,
        step: Step | None,
    ) -> RoomDetails:
        check_window(start, end, now=self._clock())
        acs = self._rooms.update_room(room.acs_room_id, valid_from=start, valid_until=end)
        write = partial(
            repo.update_room,
            now=self._clock(),
            valid_from=acs.valid_from,
            valid_until=acs.valid_until,
        )
        store = partial(self._store, attempt, room, write, step)
        return store_or_undo(room, store, window_undo(self._rooms, room))

    def set_pstn(
        self, workspace: Workspace, key: RoomKey, actor: Actor, *, enabled: bool
    ) -> Change:
        wanted = "on" if enabled else "off"
        attempt = _attempt(Action.PSTN_CHANGED, workspace, key, actor, pstn=wanted)
        action = "pstn_enabled" if enabled else "pstn_disabled"
        with self._telling_failures(attempt), self._changing(workspace, key) as (room, step):
            if step is not None and step.applied:
                return Change(action, room, room, actor)
            require_manager(room, actor, "change PSTN dial-out for")
            acs = self._rooms.update_room(room.acs_room_id, pstn_dial_out_enabled=enabled)
            write = partial(
                repo.update_room, now=self._clock(), pstn_dial_out_enabled=acs.pstn_dial_out_enabled
            )
            store = partial(self._store, attempt, room, write, step)
            after = store_or_undo(room, store, pstn_undo(self._rooms, room))
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
        with self._telling_failures(attempt), self._changing(workspace, key) as (room, step):
            if step is not None and step.applied:
                return Change(action, room, room, actor)
            require_right_to_set(room, actor, members)
            acs_ids = self._identities.ensure_identities(workspace, list(members))
            roles = {acs_ids[user]: role for user, role in members.items()}
            self._rooms.upsert_participants(room.acs_room_id, roles)
            rows = [(user, acs_ids[user], role.value) for user, role in members.items()]
            undo = roster_undo(self._rooms, room, [acs_ids[user] for user in members])
            write = partial(repo.upsert_members, members=rows, now=self._clock())
            after = store_or_undo(room, partial(self._store, attempt, room, write, step), undo)
        return Change(action, room, after, actor)

    def remove_members(
        self, workspace: Workspace, key: RoomKey, actor: Actor, slack_user_ids: Collection[str]
    ) -> Change:
        detail = people_named(slack_user_ids)
        attempt = _attempt(Action.PARTICIPANTS_REMOVED, workspace, key, actor, people=detail)
        with self._telling_failures(attempt), self._changing(workspace, key) as (room, step):
            if step is not None and step.applied:
                return Change("removed", room, room, actor)
            leaving = members_leaving(room, actor, slack_user_ids)
            after = self._take_out(attempt, room, leaving, step) if leaving else room
        if not leaving:  # nobody to take out: nothing to store, still an attempt that was made
            self.attempts.tell(attempt.ended(Outcome.OK, self._clock(), before=room, after=room))
        return Change("removed", room, after, actor)

    def _take_out(
        self, attempt: Context, room: RoomDetails, leaving: list[Member], step: Step | None
    ) -> RoomDetails:
        acs_ids = [m.acs_id for m in leaving]
        self._rooms.remove_participants(room.acs_room_id, acs_ids)
        write = partial(repo.remove_members, slack_user_ids=[m.slack_user_id for m in leaving])
        store = partial(self._store, attempt, room, write, step)
        return store_or_undo(room, store, roster_undo(self._rooms, room, acs_ids))

    # --- card and deletion --------------------------------------------------------------

    def delete(self, workspace: Workspace, key: RoomKey, actor: Actor) -> Change:
        attempt = _attempt(Action.ROOM_DELETED, workspace, key, actor)
        with self._telling_failures(attempt), self._changing(workspace, key) as (room, step):
            if step is not None and step.applied:
                return Change("deleted", room, room, actor)
            require_manager(room, actor, "delete")
            self._rooms.delete_room(room.acs_room_id)
            after = self._store_deleted(attempt, room, step)
        return Change("deleted", room, after, actor)

    def _store_deleted(self, attempt: Context, room: RoomDetails, step: Step | None) -> RoomDetails:
        # A deleted ACS room cannot be undone; deleting again later finishes the job.
        try:
            write = partial(repo.mark_deleted, now=self._clock())
            return self._store(attempt, room, write, step)
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
        return self._store(None, room, write, None)


def require_unchanged(room: RoomDetails, shown_until: datetime | None) -> None:
    """A button acts on the room as its card showed it; if it changed since (a second click
    on the same card, or someone else's change), nothing more is done."""
    # Buttons carry whole seconds; stored ends may have fractions.
    if shown_until is not None and int(room.valid_until.timestamp()) != int(
        shown_until.timestamp()
    ):
        raise ChangedSince(
            f"Room #{room.number} has changed since that button was shown, so I didn't extend"
            " it again. Its card now shows when it ends."
        )


def _attempt(action: str, ws: Workspace, key: RoomKey, actor: Actor, **detail: str) -> Context:
    return Context(action, ws, actor.user_id, key.number, detail)
