"""Applying the edit modal: window, PSTN and the whole roster, each only if it changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services.domain import Role, RoomKey
from bot.services.records import require_live
from bot.slack_posts.cards import refresh_card
from bot.slack_posts.thread_notes import change_note

if TYPE_CHECKING:
    from bot.blocks.edit_modal import EditSubmission
    from bot.listeners.interaction import Interaction
    from bot.services.room_changes import Change


def apply_edit(it: Interaction, key: RoomKey, submission: EditSubmission) -> None:
    ws, actor, changes = it.requester.workspace, it.requester.actor, it.services.changes
    room = it.services.rooms.get(ws, key)
    require_live(room)
    done: list[Change] = []
    window = (submission.valid_from, submission.valid_until)
    if window != (room.valid_from, room.valid_until):
        done.append(changes.reschedule(ws, key, actor, *window))
    if submission.pstn_dial_out_enabled != room.pstn_dial_out_enabled:
        done.append(changes.set_pstn(ws, key, actor, enabled=submission.pstn_dial_out_enabled))
    wanted = submission.roles_by_user() | {room.organizer_id: Role.PRESENTER}
    current = {m.slack_user_id: m.role for m in room.members}
    changed = {u: r for u, r in wanted.items() if current.get(u) is not r}
    if changed:
        done.append(changes.add_members(ws, key, actor, changed, action="edited"))
    leaving = [u for u in current if u not in wanted]
    if leaving:
        done.append(changes.remove_members(ws, key, actor, leaving))
    _report(it, done)


def _report(it: Interaction, done: list[Change]) -> None:
    if not done:
        it.tell("Nothing changed.")
        return
    notes = "\n".join(change_note(change) for change in done)
    refresh_card(it.client, it.services, done[-1].after, notes)
    it.tell(notes)
