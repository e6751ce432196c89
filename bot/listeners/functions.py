"""RoomBot as Workflow Builder steps (Bolt custom steps): create, invite to, extend and delete a
room, each ending with `complete(outputs)` or `fail(error)`.

A step is an Events API delivery (`function_executed`): acknowledged at once, its work a lazy
listener like every command's, so it is recorded as a job before the ack and run once. The work
goes through the same handlers as `/room`, acting as the step's `run_by` person (Slack's "Person
who used this workflow"), with the same rules and access checks; its attempts are audited "via
workflow". Any failure ends the step with `fail` and the message a command would have shown:
a step never hangs (ACS calls are bounded, ~10 s each, and an unexpected error fails it too).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from bot.grammar import typed_commands as c
from bot.grammar.tokens import GrammarError, numbered_room
from bot.listeners import room_handlers as h
from bot.listeners.after_ack import ack_then
from bot.listeners.interaction import Interaction, room_key
from bot.listeners.requester import Requester, workspace_of
from bot.services.attempts import requested_via
from bot.services.domain import Role
from bot.services.errors import InvalidInput, RoomBotError

if TYPE_CHECKING:
    from slack_bolt import Ack, App, Complete, Fail
    from slack_sdk import WebClient

    from bot.listeners.directory import UserDirectory
    from bot.services.container import Services
    from bot.services.domain import RoomDetails

log = logging.getLogger(__name__)

ROLE_INPUTS: Final = {
    "presenters": Role.PRESENTER,
    "attendees": Role.ATTENDEE,
    "consumers": Role.CONSUMER,
    "collaborators": Role.COLLABORATOR,
}
SORRY: Final = (
    "RoomBot hit an unexpected problem; nothing more was done. Try again, or ask its admins."
)
_CHANGES_NEED: Final = (
    "This step changes a room, so it needs the person it acts for: set Run by to "
    "“Person who used this workflow”."
)
NO_PERSON: Final = {
    "create_room": "Nobody ran this workflow, so RoomBot needs someone to organize the room: "
    "set Run by to “Person who used this workflow”, or name a presenter.",
    "invite_to_room": _CHANGES_NEED,
    "extend_room": _CHANGES_NEED,
    "delete_room": _CHANGES_NEED,
}
Outputs = dict[str, Any]
Step = Callable[[Interaction, dict[str, Any], dict[str, Any]], Outputs]


def register(app: App, services: Services, users: UserDirectory) -> None:
    for callback_id, step in STEPS.items():
        app.function(callback_id, auto_acknowledge=False)(
            **ack_then(_ack, _runner(callback_id, step, services, users))
        )


def _ack(ack: Ack) -> None:
    ack()


def _runner(
    callback_id: str, step: Step, services: Services, users: UserDirectory
) -> Callable[..., None]:
    def run(body: dict[str, Any], client: WebClient, complete: Complete, fail: Fail) -> None:
        event = body.get("event") or {}
        inputs = event.get("inputs") or {}
        notes: list[str] = []
        person = _run_by(inputs)
        if callback_id == "create_room":  # a scheduled workflow: its first presenter organizes
            person = person or next(iter(_users_given(inputs, "presenters")), "")
        if not person:
            fail(error=NO_PERSON[callback_id])
            return
        try:
            it = _interaction(body, person, client, services, users, notes)
            with requested_via("workflow"):
                outputs = step(it, inputs, event)
        except (RoomBotError, GrammarError) as error:
            reason = error.message if isinstance(error, RoomBotError) else str(error)
            log.info("step %s failed: %s", callback_id, reason)
            fail(error=_plain(reason))
            return
        except Exception:
            log.exception("step %s failed unexpectedly", callback_id)
            fail(error=SORRY)
            return
        if notes:
            log.info("step %s notes: %s", callback_id, " | ".join(notes)[:500])
        complete(outputs=outputs)

    run.__name__ = f"step_{callback_id}"
    return run


def _interaction(
    body: dict[str, Any],
    person: str,
    client: WebClient,
    services: Services,
    users: UserDirectory,
    notes: list[str],
) -> Interaction:
    """The step's request as `person`'s, in the workspace of the event."""
    workspace = workspace_of(body)
    asker = {"team_id": workspace.team_id, "enterprise_id": workspace.enterprise_id}
    requester = Requester({**asker, "user_id": person}, client, services, users)
    return Interaction(requester, client, services, users, lambda m: notes.append(_text(m)))


def _run_by(inputs: dict[str, Any]) -> str:
    """The user_context's id (Slack gives {id, secret}); a bare user id is taken too."""
    given = inputs.get("run_by")
    if isinstance(given, dict):
        return str(given.get("id") or "")
    return str(given or "")


def create_room(it: Interaction, inputs: dict[str, Any], event: dict[str, Any]) -> Outputs:
    title = str(inputs.get("title") or "").strip()
    if not title:
        raise InvalidInput("The room needs a title.", field="title")
    people = tuple(
        (role, c.UserRef(str(user)))
        for name, role in ROLE_INPUTS.items()
        for user in _users(inputs, name)
    )
    start = _timestamp(inputs, "start")
    end = _timestamp(inputs, "end")
    minutes = _whole(inputs, "duration_minutes")
    if end is not None and minutes is not None:
        raise InvalidInput("Give the room a length or an end, not both.")
    command = c.CreateRoom(
        title=title,
        start=start,
        end=end,
        duration=timedelta(minutes=minutes) if minutes is not None else None,
        people=people,
        pstn=bool(inputs.get("pstn")),
    )
    key = f"function:{event.get('function_execution_id') or event.get('event_ts')}"
    channel = inputs.get("channel_id") or None
    room = h.create_room(it, command, channel_id=channel, creation_key=key)
    return _outputs(it, room) | {
        "join_url": it.services.join_links.url_for(room) or "",
        "acs_room_id": room.acs_room_id,
        "valid_from": int(room.valid_from.timestamp()),
    }


def invite_to_room(it: Interaction, inputs: dict[str, Any], _event: dict[str, Any]) -> Outputs:
    ref = numbered_room(str(inputs.get("room") or ""))
    people = tuple(c.UserRef(str(user)) for user in _users(inputs, "users"))
    if not people:
        raise InvalidInput("Name at least one person to invite.", field="users")
    role = Role.parse(str(inputs.get("role") or "Attendee"))
    if role is None:
        raise InvalidInput("The role is one of Presenter, Attendee, Consumer or Collaborator.")
    h.invite(it, c.InviteToRoom(ref, people, role))
    return _outputs(it, it.services.rooms.get(it.requester.workspace, room_key(ref)))


def extend_room(it: Interaction, inputs: dict[str, Any], _event: dict[str, Any]) -> Outputs:
    ref = numbered_room(str(inputs.get("room") or ""))
    minutes = _whole(inputs, "duration_minutes")
    if minutes is None or minutes < 1:
        raise InvalidInput("Give the minutes to add, 1 or more.", field="duration_minutes")
    h.extend(it, c.ExtendRoom(ref, timedelta(minutes=minutes)))
    return _outputs(it, it.services.rooms.get(it.requester.workspace, room_key(ref)))


def delete_room(it: Interaction, inputs: dict[str, Any], _event: dict[str, Any]) -> Outputs:
    ref = numbered_room(str(inputs.get("room") or ""))
    ws, actor = it.requester.workspace, it.requester.actor
    change = it.services.changes.delete(ws, room_key(ref), actor)
    h.apply_change(it, change)
    return {"room": f"#{change.after.number}"}


STEPS: Final[dict[str, Step]] = {
    "create_room": create_room,
    "invite_to_room": invite_to_room,
    "extend_room": extend_room,
    "delete_room": delete_room,
}


def _outputs(it: Interaction, room: RoomDetails) -> Outputs:
    return {"room": f"#{room.number}", "valid_until": int(room.valid_until.timestamp())}


def _users_given(inputs: dict[str, Any], name: str) -> list[str]:
    """The user ids of a list input, without judging it (that is `_users`)."""
    given = inputs.get(name)
    return [str(user) for user in given if user] if isinstance(given, list) else []


def _users(inputs: dict[str, Any], name: str) -> list[str]:
    given = inputs.get(name) or []
    if isinstance(given, str):
        given = [given]
    if not isinstance(given, list):
        raise InvalidInput(f"{name} is not a list of people.", field=name)
    return [str(user) for user in given if user]


def _timestamp(inputs: dict[str, Any], name: str) -> datetime | None:
    value = inputs.get(name)
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise InvalidInput(f"{name} is not a time.", field=name) from exc


def _whole(inputs: dict[str, Any], name: str) -> int | None:
    value = inputs.get(name)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name} is not a number.", field=name) from exc
    if number != int(number):
        raise InvalidInput(f"{name} must be a whole number.", field=name)
    return int(number)


def _text(message: dict[str, Any]) -> str:
    return str(message.get("text") or "")


def _plain(reason: str) -> str:
    """Slack shows a step's error as plain text: no mrkdwn asterisks or mention markup."""
    return reason.replace("*", "").replace("`", "")[:500]
