"""What each `/room` subcommand does once parsed: call a service, then tell the right people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.blocks.replies import (
    delete_confirm_message,
    help_message,
    room_details_message,
    room_list_message,
)
from bot.grammar.typed_commands import (
    ChangeRole,
    CreateRoom,
    DeleteRoom,
    ExtendRoom,
    InviteToRoom,
    ListRooms,
    ListScope,
    RemoveFromRoom,
    RescheduleRoom,
    SetPstn,
    ShowHelp,
    ShowRoom,
)
from bot.grammar.usage import USAGE
from bot.listeners.interaction import room_key
from bot.services.job_queue import running_job
from bot.services.new_room import NewRoom
from bot.slack_posts.cards import post_card, refresh_card
from bot.slack_posts.thread_notes import change_note, people_text

if TYPE_CHECKING:
    from datetime import timedelta

    from bot.listeners.interaction import Interaction
    from bot.services.domain import RoomDetails, RoomKey
    from bot.services.room_changes import Change


def create_room(
    it: Interaction, cmd: CreateRoom, *, channel_id: str | None, creation_key: str
) -> RoomDetails:
    roles, problems = it.people().resolve_roles(cmd.people)
    start, end = cmd.window(it.now)
    request = NewRoom(
        workspace=it.requester.workspace,
        organizer_id=it.requester.user_id,
        title=cmd.title,
        valid_from=start,
        valid_until=end,
        members=roles,
        pstn_dial_out_enabled=cmd.pstn,
        channel_id=channel_id,
        creation_key=creation_key,
    )
    created = it.services.rooms.create(request)
    announce_created(it, created.room, created.is_new, problems)
    return created.room


def announce_created(it: Interaction, room: RoomDetails, is_new: bool, problems: list[str]) -> None:
    """Post the card (once) and tell the organizer what happened and what was left out."""
    lines = [f"Room #{room.number} is ready (ACS room ID `{room.acs_room_id}`)."]
    if is_new or _card_left_by_earlier_run(room):
        posted = post_card(it.client, it.services, room)
        if isinstance(posted, str):
            lines.append(f"I couldn't post its card: {posted}.")
            it.reply(room_details_message(room, now=it.now, links=it.services.join_links))
    lines.extend(problems)
    it.tell("\n".join(lines))


def _card_left_by_earlier_run(room: RoomDetails) -> bool:
    """A job run again (its worker died or stopped) finds the room its earlier run made; it
    posts the card that run did not get to. (A double submit of a form, run concurrently,
    must not: the other run is posting it.)"""
    running = running_job.get()
    return running is not None and running.job.attempts > 1 and room.card_ts is None


def list_rooms(it: Interaction, cmd: ListRooms) -> None:
    mine = cmd.scope is ListScope.MINE
    rooms = it.services.rooms.list_rooms(
        it.requester.workspace, involving=it.requester.user_id if mine else None
    )
    scope = "Your rooms" if mine else "All rooms in this workspace"
    it.reply(room_list_message(rooms, now=it.now, scope=scope))


def show_room(it: Interaction, cmd: ShowRoom) -> None:
    room = it.services.rooms.get(it.requester.workspace, room_key(cmd.room))
    it.reply(room_details_message(room, now=it.now, links=it.services.join_links))


def show_help(it: Interaction, cmd: ShowHelp) -> None:
    rows = [(name, u.line, u.example) for name, u in USAGE.items()]
    if cmd.topic in USAGE:
        rows = [row for row in rows if row[0] == cmd.topic]
    it.reply(help_message(rows))


def apply_change(it: Interaction, change: Change) -> None:
    """After any change: update the card in place, note it in the thread, confirm privately."""
    note = change_note(change)
    deleted_by = it.requester.user_id if change.action == "deleted" else None
    refresh_card(it.client, it.services, change.after, note, deleted_by=deleted_by)
    it.tell(f"Room #{change.after.number}: {note}")


def extend(it: Interaction, cmd: ExtendRoom) -> None:
    ws, actor = it.requester.workspace, it.requester.actor
    apply_change(it, it.services.changes.extend(ws, room_key(cmd.room), actor, cmd.by))


def reschedule(it: Interaction, cmd: RescheduleRoom) -> None:
    ws, actor, key = it.requester.workspace, it.requester.actor, room_key(cmd.room)
    end = cmd.end
    if end is None:
        length = cmd.duration or _current_length(it, key)
        end = cmd.start + length
    apply_change(it, it.services.changes.reschedule(ws, key, actor, cmd.start, end))


def _current_length(it: Interaction, key: RoomKey) -> timedelta:
    room = it.services.rooms.get(it.requester.workspace, key)
    return room.valid_until - room.valid_from


def set_pstn(it: Interaction, cmd: SetPstn) -> None:
    ws, actor = it.requester.workspace, it.requester.actor
    change = it.services.changes.set_pstn(ws, room_key(cmd.room), actor, enabled=cmd.enabled)
    apply_change(it, change)


def invite(it: Interaction, cmd: InviteToRoom | ChangeRole) -> None:
    resolved = it.people().resolve(cmd.people)
    for problem in resolved.problems:
        it.tell(problem)
    if not resolved.user_ids:
        return
    action = "invited" if isinstance(cmd, InviteToRoom) else "re-roled"
    members = dict.fromkeys(resolved.user_ids, cmd.role)
    ws, actor = it.requester.workspace, it.requester.actor
    change = it.services.changes.add_members(ws, room_key(cmd.room), actor, members, action=action)
    apply_change(it, change)


def remove(it: Interaction, cmd: RemoveFromRoom) -> None:
    resolved = it.people().resolve(cmd.people)
    ws, actor = it.requester.workspace, it.requester.actor
    change = it.services.changes.remove_members(ws, room_key(cmd.room), actor, resolved.user_ids)
    not_in = [
        u for u in resolved.user_ids if u not in {m.slack_user_id for m in change.before.members}
    ]
    if not_in:
        it.tell(f"{people_text(not_in)} weren't in room #{change.before.number}.")
    apply_change(it, change)


def confirm_delete(it: Interaction, cmd: DeleteRoom) -> None:
    """Deleting asks first; the button re-checks rights when pressed."""
    room = it.services.changes.deletable(
        it.requester.workspace, room_key(cmd.room), it.requester.actor
    )
    it.reply(delete_confirm_message(room))
