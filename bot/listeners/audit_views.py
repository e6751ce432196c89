"""What `/room audit` and the audit view's buttons do, and the App Home's audit section.
Admins only: the service re-checks every click, and records every refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.blocks.audit import (
    attendance_sent_text,
    audit_home_section,
    audit_page_message,
    export_sent_text,
)
from bot.blocks.audit_value import MAX_PEOPLE, decode
from bot.blocks.text import slack_date
from bot.grammar import typed_commands as c
from bot.listeners.interaction import Interaction, room_key
from bot.services.audit.events import AuditFilters, Cursor, csv_text
from bot.services.errors import ConfigurationError, InvalidInput

if TYPE_CHECKING:
    from slack_bolt import Respond

    from bot.blocks.kit import Json
    from bot.listeners.requester import Requester
    from bot.services.audit.trail import AuditTrail
    from bot.services.container import Services


def trail_of(services: Services) -> AuditTrail:
    if services.audit is None:
        raise ConfigurationError("The audit trail is not set up in this RoomBot.")
    return services.audit


def show_audit(it: Interaction, cmd: c.ShowAudit) -> None:
    trail, ws, actor = trail_of(it.services), it.requester.workspace, it.requester.actor
    trail.require_reader(ws, actor)  # before anyone is looked up for a non-admin
    room = room_key(cmd.subject) if isinstance(cmd.subject, c.RoomRef) else None
    people: tuple[str, ...] = ()
    if isinstance(cmd.subject, tuple):
        people = _people(it, cmd.subject)
        if not people:
            return
    filters = AuditFilters(room=room, people=people, since=cmd.since, action=cmd.action)
    it.reply(audit_page_message(trail.read(ws, actor, filters)))


def _people(it: Interaction, refs: tuple[c.PersonRef, ...]) -> tuple[str, ...]:
    """Mentioned users as they are (a deactivated user's past is what an admin may want);
    names, groups and channels through the resolver. Problems are told."""
    direct = [ref.user_id for ref in refs if isinstance(ref, c.UserRef)]
    others = [ref for ref in refs if not isinstance(ref, c.UserRef)]
    resolved = it.people().resolve(others) if others else None
    for problem in resolved.problems if resolved else []:
        it.tell(problem)
    people = tuple(dict.fromkeys(direct + (resolved.user_ids if resolved else [])))
    if len(people) > MAX_PEOPLE:
        raise InvalidInput(f"Name at most {MAX_PEOPLE} people for the audit trail.")
    return people


def _clicked(value: str) -> tuple[AuditFilters, Cursor]:
    decoded = decode(value)
    if decoded is None:
        raise InvalidInput("That button no longer works; type `/room audit` again.")
    return decoded


def turn_page(it: Interaction, value: str, respond: Respond) -> None:
    filters, cursor = _clicked(value)
    page = trail_of(it.services).read(it.requester.workspace, it.requester.actor, filters, cursor)
    respond(response_type="ephemeral", replace_original=True, **audit_page_message(page))


def export_csv(it: Interaction, value: str, _respond: Respond) -> None:
    filters, _cursor = _clicked(value)
    trail, ws, actor = trail_of(it.services), it.requester.workspace, it.requester.actor
    rows = trail.export_rows(ws, actor, filters)
    _send_csv(it, rows, "audit", "RoomBot audit trail", "The RoomBot audit trail")
    events = len(rows) - 1  # the header
    it.tell(export_sent_text(events, capped=events >= trail_of(it.services).export_cap))


def export_attendance(it: Interaction, value: str, _respond: Respond) -> None:
    filters, _cursor = _clicked(value)
    if it.services.attendance is None:
        raise ConfigurationError("The attendance record is not set up in this RoomBot.")
    ws, actor = it.requester.workspace, it.requester.actor
    rows = it.services.attendance.export_rows(ws, actor, filters)
    _send_csv(it, rows, "attendance", "RoomBot call attendance", "Who was in which RoomBot call")
    it.tell(attendance_sent_text(len(rows) - 1))


def _send_csv(
    it: Interaction, rows: list[tuple[str, ...]], kind: str, title: str, what: str
) -> None:
    """The rows as a CSV file in the asker's DM with RoomBot."""
    dm = it.client.conversations_open(users=it.requester.user_id)["channel"]["id"]
    it.client.files_upload_v2(
        channel=dm,
        content=csv_text(rows),
        filename=f"roombot-{kind}-{it.now:%Y%m%d-%H%M%S}.csv",
        title=title,
        initial_comment=f"{what}, exported {slack_date(it.now)}.",
    )


def home_section(services: Services, requester: Requester) -> list[Json] | None:
    """The latest events for an admin's App Home; None for everyone else."""
    if services.audit is None or not requester.actor.is_admin:
        return None
    return audit_home_section(services.audit.latest(requester.workspace, requester.actor))
