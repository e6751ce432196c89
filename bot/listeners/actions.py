"""Buttons on room cards, list replies and the App Home. Every click re-checks access."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.blocks import ids
from bot.blocks.create_modal import CreateDefaults
from bot.blocks.edit_modal import edit_room_modal, invite_modal
from bot.blocks.replies import not_invited_message, personal_link_message, room_details_message
from bot.listeners.after_ack import ack_then
from bot.listeners.create_form import open_create_modal
from bot.listeners.guard import guarded
from bot.listeners.home_tab import publish_home
from bot.listeners.interaction import Interaction, Reply
from bot.listeners.requester import Requester
from bot.listeners.room_handlers import apply_change
from bot.services.attempts import Outcome
from bot.services.audit.actions import AuditAction
from bot.services.domain import RoomKey
from bot.services.errors import InvalidInput
from bot.services.join_passes import PassHolder
from bot.services.records import require_live

if TYPE_CHECKING:
    from slack_bolt import Ack, App, Respond
    from slack_sdk import WebClient

    from bot.listeners.directory import UserDirectory
    from bot.services.container import Services

Work = Callable[[Interaction, dict[str, Any], str], None]
ActionId = str | re.Pattern[str]


def just_ack(ack: Ack) -> None:
    ack()


def reply_for(body: dict[str, Any], client: WebClient, respond: Respond) -> Reply:
    """Messages have a response_url for ephemeral answers; the App Home does not, so a
    direct message from RoomBot takes its place there."""
    if body.get("response_url"):
        return lambda message: respond(response_type="ephemeral", replace_original=False, **message)
    user_id = (body.get("user") or {}).get("id", "")
    return lambda message: client.chat_postMessage(channel=user_id, **message)


def register_action(
    app: App,
    services: Services,
    users: UserDirectory,
    button: tuple[ActionId, Work],
) -> None:
    action_id, work = button

    def run(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        with guarded(reply_for(body, client, respond)):
            requester = Requester(body, client, services, users)
            it = Interaction(requester, client, services, users, reply_for(body, client, respond))
            work(it, body, str(body["actions"][0].get("value") or ""))
            if (body.get("view") or {}).get("type") == "home":
                publish_home(client, services, requester)

    app.action(action_id)(**ack_then(just_ack, run))


def room_number(value: str) -> RoomKey:
    number = ids.parse_room_value(value)
    if number is None:
        raise InvalidInput("That button no longer points at a room.")
    return RoomKey(number=number)


def extend(it: Interaction, body: dict[str, Any], value: str) -> None:
    click = ids.parse_extend_value(value)
    if click is None:
        raise InvalidInput("That button no longer points at a room.")
    ws, actor, key = it.requester.workspace, it.requester.actor, RoomKey(number=click.number)
    change = it.services.changes.extend(ws, key, actor, click.by, shown_until=click.shown_until)
    apply_change(it, change)


def delete(it: Interaction, body: dict[str, Any], value: str) -> None:
    change = it.services.changes.delete(
        it.requester.workspace, room_number(value), it.requester.actor
    )
    apply_change(it, change)


def open_edit(it: Interaction, body: dict[str, Any], value: str) -> None:
    room = it.services.rooms.get(it.requester.workspace, room_number(value))
    require_live(room)
    it.client.views_open(trigger_id=body["trigger_id"], view=edit_room_modal(room))


def open_invite(it: Interaction, body: dict[str, Any], value: str) -> None:
    room = it.services.rooms.get(it.requester.workspace, room_number(value))
    require_live(room)
    it.client.views_open(trigger_id=body["trigger_id"], view=invite_modal(room))


def details(it: Interaction, body: dict[str, Any], value: str) -> None:
    room = it.services.rooms.get(it.requester.workspace, room_number(value))
    it.reply(room_details_message(room, now=it.now, links=it.services.join_links))


def join_clicked(it: Interaction, body: dict[str, Any], value: str) -> None:
    """Join is a URL button: Slack has opened the join page already and tells RoomBot of the
    click. It is audited, and someone the call would refuse is told why, privately."""
    workspace, user_id = it.requester.workspace, it.requester.user_id
    room = it.services.rooms.get(workspace, room_number(value))
    refusal = not_invited_message(room, user_id, now=it.now)
    if it.services.audit is not None:
        it.services.audit.record(
            workspace,
            action=AuditAction.JOIN_CLICKED,
            actor_id=user_id,
            outcome=Outcome.OK if refusal is None else Outcome.DENIED,
            room_number=room.number,
            reason=None if refusal is None else str(refusal["text"]),
        )
    if refusal is not None:
        it.reply(refusal)


def personal_link(it: Interaction, body: dict[str, Any], value: str) -> None:
    """A pass for the person who clicked, privately, if the call would let them in."""
    workspace, user_id = it.requester.workspace, it.requester.user_id
    room = it.services.rooms.get(workspace, room_number(value))
    refusal = not_invited_message(room, user_id, now=it.now)
    if refusal is not None:
        it.reply(refusal)
        return
    passes, links = it.services.join_passes, it.services.join_links
    if passes is None or not links.sends_personal_links:
        raise InvalidInput("Personal join links are not set up on this RoomBot.")
    name = str((body.get("user") or {}).get("name") or user_id)
    token = passes.issue(PassHolder(workspace, user_id, name), room.join_key)
    url = links.personal_link_for(room, token)
    assert url is not None  # checked above
    it.reply(personal_link_message(room, url))


def create(it: Interaction, body: dict[str, Any], value: str) -> None:
    open_create_modal(it, body, CreateDefaults())


def register(app: App, services: Services, users: UserDirectory) -> None:
    table: list[tuple[ActionId, Work]] = [
        (ids.ROOM_EXTEND_PATTERN, extend),
        (ids.ROOM_DELETE, delete),
        (ids.ROOM_EDIT_OPEN, open_edit),
        (ids.ROOM_INVITE_OPEN, open_invite),
        (ids.ROOM_DETAILS_OPEN, details),
        (ids.HOME_CREATE, create),
        (ids.ROOM_JOIN, join_clicked),
        (ids.ROOM_PERSONAL_LINK, personal_link),
    ]
    for action_id, work in table:
        register_action(app, services, users, (action_id, work))

    # A URL button: Slack downloads the .ics itself; the click only needs its ack.
    app.action(ids.ROOM_CALENDAR)(just_ack)

    @app.action(ids.ROOM_DELETE_CANCEL)
    def cancel_delete(ack: Ack, respond: Respond) -> None:
        ack()
        respond(delete_original=True)
