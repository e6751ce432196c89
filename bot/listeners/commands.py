"""The `/room` slash command: a tiny ack, then the real work on the listener pool."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.blocks.create_modal import CreateDefaults
from bot.blocks.replies import error_message
from bot.grammar import typed_commands as c
from bot.grammar.parser import limit_problem, parse_command
from bot.grammar.usage import GENERAL_USAGE
from bot.listeners import room_handlers as h
from bot.listeners.after_ack import ack_then
from bot.listeners.audit_views import show_audit
from bot.listeners.create_form import open_create_modal
from bot.listeners.guard import guarded
from bot.listeners.interaction import Interaction
from bot.listeners.registry import SLASH_COMMAND
from bot.listeners.requester import Requester

if TYPE_CHECKING:
    from slack_bolt import Ack, App, Respond
    from slack_sdk import WebClient

    from bot.listeners.directory import UserDirectory
    from bot.services.container import Services

log = logging.getLogger(__name__)

Handler = Callable[[Interaction, Any], None]
HANDLERS: dict[type, Handler] = {
    c.ListRooms: h.list_rooms,
    c.ShowRoom: h.show_room,
    c.ShowHelp: h.show_help,
    c.ExtendRoom: h.extend,
    c.RescheduleRoom: h.reschedule,
    c.SetPstn: h.set_pstn,
    c.InviteToRoom: h.invite,
    c.ChangeRole: h.invite,
    c.RemoveFromRoom: h.remove,
    c.DeleteRoom: h.confirm_delete,
}


def ack_command(ack: Ack, command: dict[str, Any]) -> None:
    """Answer Slack at once; only refuse here what needs no lookup at all (oversized text)."""
    problem = limit_problem(command.get("text") or "")
    if problem is not None:
        ack(**error_message(problem, GENERAL_USAGE))
        return
    ack()


def register(app: App, services: Services, users: UserDirectory) -> None:
    def run_command(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        if limit_problem(body.get("text") or "") is not None:
            return  # the ack already said why
        reply = lambda message: respond(response_type="ephemeral", **message)  # noqa: E731
        with guarded(reply):
            requester = Requester(body, client, services, users)
            it = Interaction(requester, client, services, users, reply)
            dispatch(it, body)

    app.command(SLASH_COMMAND)(**ack_then(ack_command, run_command))


def dispatch(it: Interaction, body: dict[str, Any]) -> None:
    parsed = parse_command(body.get("text") or "", now=it.now, tz=it.requester.tz)
    if isinstance(parsed, c.UsageError):
        it.reply(error_message(parsed.message, parsed.usage))
    elif isinstance(parsed, c.OpenCreateModal):
        open_create_modal(it, body, CreateDefaults(channel_id=body.get("channel_id")))
    elif isinstance(parsed, c.CreateRoom):
        h.create_room(
            it,
            parsed,
            channel_id=str(body.get("channel_id")),
            creation_key=f"command:{body.get('trigger_id')}",
        )
    elif isinstance(parsed, c.ShowAudit):
        show_audit(it, parsed)
    else:
        HANDLERS[type(parsed)](it, parsed)
