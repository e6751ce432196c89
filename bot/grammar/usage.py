"""The `/room` usage table: one line and one example per subcommand, and the help text."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class Usage:
    line: str
    example: str
    summary: str


USAGE: Mapping[str, Usage] = MappingProxyType(
    {
        "create": Usage(
            "/room create <title> [from|at <time>] [for <duration> | until <time>] [people…] "
            "[as <role> people…] [pstn]  (starts now and lasts 1 hour unless you say)",
            "/room create Design review tomorrow 14:00 for 90m @ana @ben as presenter @cho pstn",
            "Create a room; `/room create` alone opens a form.",
        ),
        "list": Usage("/room list [mine|all]", "/room list all", "List rooms (yours by default)."),
        "show": Usage("/room show <room>", "/room show #12", "Show a room's window and roster."),
        "invite": Usage(
            "/room invite <room> <people…> [as <role>]",
            "/room invite #12 @ana <!subteam^S123|@design> as consumer",
            "Add people (attendees by default).",
        ),
        "role": Usage(
            "/room role <room> <people…> [as] <role>",
            "/room role #12 @ana presenter",
            "Change people's role.",
        ),
        "remove": Usage(
            "/room remove <room> <people…>", "/room remove #12 @ben", "Take people out."
        ),
        "extend": Usage(
            "/room extend <room> [by] <duration>",
            "/room extend #12 by 30m",
            "Move the end later.",
        ),
        "reschedule": Usage(
            "/room reschedule <room> from <time> [until <time> | for <duration>]",
            '/room reschedule "Design review" from fri 10:00 for 2h',
            "Move the window.",
        ),
        "pstn": Usage("/room pstn <room> on|off", "/room pstn #12 on", "Allow phone dial-out."),
        "delete": Usage("/room delete <room>", "/room delete #12", "Delete a room."),
        "help": Usage("/room help [command]", "/room help create", "Show this help."),
        "audit": Usage(
            "/room audit [<room> | <people…>] [since <time>] [action <name>]",
            "/room audit #12 since monday action invite",
            "Read the audit trail (admins).",
        ),
    }
)

GENERAL_USAGE = (
    "/room [create | list | show | invite | role | remove | extend | reschedule | pstn | delete "
    "| help | audit] …  (/room help <command> for details)"
)

NOTES = (
    "Times are read in your time zone: “tomorrow 9am”, “in 2 hours”, “next fri 15:30”, "
    "“2026-12-01 09:30”. A clock time already past today means tomorrow; a day without a "
    "time means 00:00 that day (today: now).",
    "No start means now; no end means 1 hour. Durations: 30m, 2h, 1h30m, 90 min, 3d, 1w "
    "(at most 400 days).",
    "People: @name, a user group or a #channel (its members). Roles: presenter, attendee "
    "(the default), consumer, collaborator.",
    "A room: its number (#12), its ID, or its title (quote a title that contains command "
    'words: "Plan for Q3").',
)


def usage_line(subcommand: str) -> str:
    """The usage line for a subcommand, or the general one for anything else."""
    usage = USAGE.get(subcommand)
    return GENERAL_USAGE if usage is None else usage.line


def help_text(topic: str | None = None) -> str:
    """Plain text for `/room help [topic]`; the Slack edge may format USAGE itself instead."""
    usage = USAGE.get(topic or "")
    if usage is not None:
        return f"{usage.summary}\n{usage.line}\nFor example: {usage.example}"
    lines = [f"{usage.line}\n    {usage.summary}" for usage in USAGE.values()]
    return "\n".join([*lines, "", *NOTES])
