"""The names of audited actions, and the short words `/room audit … action <word>` accepts."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from bot.services.attempts import Action
from bot.services.errors import InvalidInput


class AuditAction(StrEnum):
    """Audited actions that are not room operations; other parts record them by these names."""

    ROOM_UPDATED = "room.updated"
    REMINDER_SENT = "reminder.sent"
    REMINDER_FAILED = "reminder.failed"
    INSTALLATION_ADDED = "installation.added"
    INSTALLATION_REMOVED = "installation.removed"
    AUDIT_READ = "audit.read"
    AUDIT_EXPORTED = "audit.exported"
    JOIN_CLICKED = "room.join_clicked"  # someone pressed Join (Slack then opened the page)
    CALL_STARTED = "call.started"  # ACS said a room's call began (Event Grid)
    CALL_ENDED = "call.ended"


KNOWN_ACTIONS: Final = tuple(str(a) for a in (*Action, *AuditAction))

# Short words an admin may type instead of a full name; a family name ("room", "reminder")
# takes every action of that family.
SHORT_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "create": (Action.ROOM_CREATED,),
    "update": (AuditAction.ROOM_UPDATED, Action.ROOM_EXTENDED, Action.ROOM_RESCHEDULED),
    "extend": (Action.ROOM_EXTENDED,),
    "reschedule": (Action.ROOM_RESCHEDULED,),
    "pstn": (Action.PSTN_CHANGED,),
    "invite": (Action.PARTICIPANTS_ADDED,),
    "role": (Action.PARTICIPANTS_REROLED,),
    "remove": (Action.PARTICIPANTS_REMOVED,),
    "delete": (Action.ROOM_DELETED,),
    "identity": (Action.IDENTITY_PROVISIONED,),
    "reminder": (AuditAction.REMINDER_SENT, AuditAction.REMINDER_FAILED),
    "install": (AuditAction.INSTALLATION_ADDED, AuditAction.INSTALLATION_REMOVED),
    "audit": (AuditAction.AUDIT_READ, AuditAction.AUDIT_EXPORTED),
    "reconcile": (Action.ROOM_RECONCILED,),
    "join": (AuditAction.JOIN_CLICKED,),
    "call": (AuditAction.CALL_STARTED, AuditAction.CALL_ENDED),
}


def actions_named(word: str) -> tuple[str, ...]:
    """The actions `word` stands for: a full name, a short word, or a family (`room`)."""
    wanted = word.strip().lower()
    if wanted in KNOWN_ACTIONS:
        return (wanted,)
    # "deleted", "invites", "extended": the past tense or plural names the same action.
    stems = (wanted, wanted.removesuffix("d"), wanted.removesuffix("ed"), wanted.removesuffix("s"))
    short = next((SHORT_WORDS[s] for s in stems if s in SHORT_WORDS), ())
    found = short or tuple(a for a in KNOWN_ACTIONS if a.split(".")[0] == wanted)
    if not found:
        raise InvalidInput(
            f"I don't know the action “{word[:40]}”. Try one of {', '.join(SHORT_WORDS)}, "
            "or a full name such as room.deleted.",
            field="action",
        )
    return tuple(str(a) for a in found)
