"""`/room ...` text -> a typed command or a UsageError. Pure: no Slack, no I/O, no clock.

Every input gets an answer and none raises: readers below raise GrammarError internally, and
`parse_command` turns it into a UsageError carrying the subcommand's usage line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.grammar import room_readers as grammar_rooms
from bot.grammar.clauses import Draft, end_of, read_clauses
from bot.grammar.heads import TimeContext, head_length, split_head
from bot.grammar.tokens import GrammarError, Token, is_person, quote, room_ref, title, tokenize
from bot.grammar.typed_commands import (
    Command,
    CreateRoom,
    OpenCreateModal,
    RescheduleRoom,
    UsageError,
)
from bot.grammar.usage import GENERAL_USAGE, USAGE, usage_line

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

MAX_TEXT = 4000
# Per command, before channels and groups are expanded (people.py caps the expanded roster).
# Benchmarks create rooms with 50 invitees, so this leaves room for twice that.
MAX_PEOPLE = 100
# Slack entities that name people: users, channels, user groups. Counted without tokenizing,
# so even a 40 kB line is measured in microseconds inside the 3-second ack.
_PEOPLE_ENTITY = re.compile(r"<[@#]|<!subteam\^")
_TOO_MANY_PEOPLE = f"That's too many people: at most {MAX_PEOPLE} at once."

Reader = Callable[[list[Token], TimeContext], Command]


def parse_command(text: str, *, now: datetime, tz: ZoneInfo) -> Command | UsageError:
    """Read one `/room` line typed by a user in zone `tz` at `now` (an aware datetime)."""
    problem = limit_problem(text)
    if problem is not None:
        return UsageError(problem, GENERAL_USAGE)
    tokens = tokenize(text)
    if sum(map(is_person, tokens)) > MAX_PEOPLE:
        return UsageError(_TOO_MANY_PEOPLE, GENERAL_USAGE)
    if not tokens:
        return OpenCreateModal()
    return _run_reader(tokens[0].word, tokens[1:], TimeContext(now, tz))


def limit_problem(text: str) -> str | None:
    """Why `text` is refused before any parsing (too many people, too long), or None.

    Linear and cheap: the slash command's ack calls it on whatever Slack sent.
    """
    if len(_PEOPLE_ENTITY.findall(text)) > MAX_PEOPLE:
        return _TOO_MANY_PEOPLE
    if len(text) > MAX_TEXT:
        return f"That's too long: at most {MAX_TEXT:,} characters."
    return None


def _run_reader(subcommand: str, args: list[Token], context: TimeContext) -> Command | UsageError:
    reader = _READERS.get(subcommand)
    if reader is None:
        return UsageError(_unknown_subcommand(subcommand), GENERAL_USAGE)
    try:
        return reader(args, context)
    except GrammarError as error:
        return UsageError(str(error), usage_line(subcommand))


def _unknown_subcommand(subcommand: str) -> str:
    guesses = difflib.get_close_matches(subcommand, USAGE, n=1)
    hint = f" Did you mean {quote(guesses[0])}?" if guesses else ""
    if not subcommand:
        return f"Start with a command, like {quote('create')}.{hint}"
    return f"I don't know {quote('/room ' + subcommand)}.{hint}"


def _read_create(args: list[Token], context: TimeContext) -> Command:
    if not args:
        return OpenCreateModal()
    length = head_length(args, context)
    name, start = split_head(args[:length], context, missing_name="Give the room a title first.")
    draft = Draft(start=start)
    read_clauses(args[length:], draft, context, with_people=True)
    return CreateRoom(
        title=title(name),
        start=draft.start,
        end=end_of(draft, context),
        duration=draft.duration,
        people=tuple((role, ref) for ref, role in draft.people.items()),
        pstn=draft.pstn,
    )


def _read_reschedule(args: list[Token], context: TimeContext) -> Command:
    length = head_length(args, context)
    name, start = split_head(args[:length], context, missing_name=_WHICH_ROOM)
    draft = Draft(start=start)
    read_clauses(args[length:], draft, context, with_people=False)
    if draft.start is None:
        raise GrammarError("When should it start? Say “from <time>”.")
    return RescheduleRoom(room_ref(name), draft.start, end_of(draft, context), draft.duration)


_WHICH_ROOM = "Which room? Give its number (#12), its ID or its title first."

_READERS: dict[str, Reader] = {
    "create": _read_create,
    "reschedule": _read_reschedule,
    **grammar_rooms.READERS,
}
