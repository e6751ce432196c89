"""Modal submissions: inline errors in the ack, a "working" view, then the result."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.blocks import ids
from bot.blocks.create_modal import loading_modal, read_create_submission, result_modal
from bot.blocks.edit_modal import (
    EditSubmission,
    read_edit_submission,
    read_invite_submission,
    room_number_from_metadata,
)
from bot.blocks.text import escape
from bot.listeners.after_ack import ack_then
from bot.listeners.create_form import creation_key_of
from bot.listeners.edits import apply_edit
from bot.listeners.guard import guarded
from bot.listeners.interaction import Interaction
from bot.listeners.requester import Requester
from bot.listeners.room_handlers import announce_created, apply_change
from bot.services.container import Services
from bot.services.domain import RoomKey
from bot.services.new_room import NewRoom

if TYPE_CHECKING:
    from slack_bolt import Ack, App
    from slack_sdk import WebClient

    from bot.listeners.directory import UserDirectory

Reader = Callable[[dict[str, Any], Services], object]
Work = Callable[[Interaction, dict[str, Any]], None]


def _values(body: dict[str, Any]) -> dict[str, Any]:
    return dict(body["view"]["state"]["values"])


def _acker(read: Reader, services: Services, working: str) -> Callable[..., None]:
    def ack_view(ack: Ack, body: dict[str, Any]) -> None:
        result = read(body, services)
        if isinstance(result, dict):
            ack(response_action="errors", errors=result)
        else:
            ack(response_action="update", view=loading_modal(working))

    return ack_view


def _runner(
    services: Services, users: UserDirectory, title: str, work: Work
) -> Callable[..., None]:
    def run(body: dict[str, Any], client: WebClient) -> None:
        view_id = body["view"]["id"]
        messages: list[str] = []

        def reply(message: dict[str, Any]) -> None:
            messages.append(str(message.get("text", "")))

        with guarded(reply):
            it = Interaction(
                Requester(body, client, services, users), client, services, users, reply
            )
            work(it, body)
        text = "\n".join(m for m in messages if m) or "Done."
        client.views_update(view_id=view_id, view=result_modal(title, text))

    return run


def _room_key(body: dict[str, Any]) -> RoomKey:
    return RoomKey(number=room_number_from_metadata(body["view"].get("private_metadata", "")))


def _tell_problems(it: Interaction, errors: dict[str, str]) -> None:
    """Input the ack accepted went stale before the work ran (a start that has since passed):
    the form is already replaced by the working view, so the result view says what to fix."""
    it.tell(" ".join(errors.values()))


def create(it: Interaction, body: dict[str, Any]) -> None:
    submission = read_create_submission(_values(body), now=it.now)
    if isinstance(submission, dict):
        _tell_problems(it, submission)
        return
    request = NewRoom(
        workspace=it.requester.workspace,
        organizer_id=it.requester.user_id,
        title=submission.title,
        valid_from=submission.valid_from,
        valid_until=submission.valid_until,
        members=submission.roles_by_user(),
        pstn_dial_out_enabled=submission.pstn_dial_out_enabled,
        channel_id=submission.channel_id,
        creation_key=creation_key_of(body["view"]),
    )
    created = it.services.rooms.create(request)
    announce_created(it, created.room, created.is_new, [])


def edit(it: Interaction, body: dict[str, Any]) -> None:
    submission = read_edit_submission(_values(body), now=it.now)
    if not isinstance(submission, EditSubmission):
        _tell_problems(it, submission)
        return
    apply_edit(it, _room_key(body), submission)


def invite(it: Interaction, body: dict[str, Any]) -> None:
    submission = read_invite_submission(_values(body))
    if isinstance(submission, dict):
        _tell_problems(it, submission)
        return
    members = dict.fromkeys(submission.people, submission.role)
    ws, actor = it.requester.workspace, it.requester.actor
    apply_change(it, it.services.changes.add_members(ws, _room_key(body), actor, members))


def register(app: App, services: Services, users: UserDirectory) -> None:
    now = services.clock
    readers: list[tuple[str, Reader, str, Work]] = [
        (
            ids.ROOM_CREATE,
            lambda b, s: read_create_submission(_values(b), now=now()),
            "Creating the room",
            create,
        ),
        (ids.ROOM_EDIT, lambda b, s: read_edit_submission(_values(b), now=now()), "Saving", edit),
        (ids.ROOM_INVITE, lambda b, s: read_invite_submission(_values(b)), "Inviting", invite),
    ]
    for callback_id, read, working, work in readers:
        app.view(callback_id)(
            **ack_then(
                _acker(read, services, working),
                _runner(services, users, escape(working), work),
            )
        )
