"""The audit view's buttons (`/room audit` itself is a `/room` subcommand)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond

from bot.blocks import ids
from bot.listeners.after_ack import ack_then
from bot.listeners.audit_views import export_attendance, export_csv, turn_page
from bot.listeners.guard import guarded
from bot.listeners.interaction import Interaction, Reply
from bot.listeners.requester import Requester

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.listeners.directory import UserDirectory
    from bot.services.container import Services

Work = Callable[[Interaction, str, Respond], None]


def register(app: App, services: Services, users: UserDirectory) -> None:
    buttons: dict[str, Work] = {
        ids.AUDIT_NEXT: turn_page,
        ids.AUDIT_PREV: turn_page,
        ids.AUDIT_EXPORT: export_csv,
        ids.AUDIT_EXPORT_ATTENDANCE: export_attendance,
    }
    for action_id, work in buttons.items():
        _register_button(app, services, users, (action_id, work))


def _register_button(
    app: App,
    services: Services,
    users: UserDirectory,
    button: tuple[str, Work],
) -> None:
    action_id, work = button

    def ack_click(ack: Ack) -> None:
        ack()

    def run(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        reply: Reply = lambda message: respond(  # noqa: E731
            response_type="ephemeral", replace_original=False, **message
        )
        with guarded(reply):
            requester = Requester(body, client, services, users)
            it = Interaction(requester, client, services, users, reply)
            work(it, str(body["actions"][0].get("value") or ""), respond)

    app.action(action_id)(**ack_then(ack_click, run))
