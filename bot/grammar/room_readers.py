"""Readers for the subcommands that act on an existing room (and help, list, audit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.grammar import times as when
from bot.grammar.heads import TimeContext, unreadable_time
from bot.grammar.tokens import (
    WHICH_ROLE,
    GrammarError,
    Token,
    first_index,
    is_person,
    parse_role,
    people,
    quote,
    room_ref,
    words_of,
)
from bot.grammar.typed_commands import (
    ChangeRole,
    Command,
    DeleteRoom,
    ExtendRoom,
    InviteToRoom,
    ListRooms,
    ListScope,
    PersonRef,
    RemoveFromRoom,
    RoomRef,
    SetPstn,
    ShowAudit,
    ShowHelp,
    ShowRoom,
)
from bot.grammar.usage import USAGE
from bot.services.domain import Role

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

_SWITCH = {"on": True, "enable": True, "off": False, "disable": False}
_MENTION_HINT = "Mention them: @ana, a user group or a #channel."


def _read_list(args: list[Token], _context: TimeContext) -> Command:
    if not args:
        return ListRooms(ListScope.MINE)
    if len(args) == 1 and args[0].word in {scope.value for scope in ListScope}:
        return ListRooms(ListScope(args[0].word))
    raise GrammarError(f"List “mine” or “all”, not {quote(' '.join(words_of(args)))}.")


def _read_show(args: list[Token], _context: TimeContext) -> Command:
    return ShowRoom(room_ref(args))


def _read_delete(args: list[Token], _context: TimeContext) -> Command:
    return DeleteRoom(room_ref(args))


def _read_invite(args: list[Token], _context: TimeContext) -> Command:
    room, invited, role = _room_people_role(args, "Who should I invite?", bare_role=False)
    return InviteToRoom(room, invited, role or Role.ATTENDEE)


def _read_role(args: list[Token], _context: TimeContext) -> Command:
    room, changed, role = _room_people_role(args, "Whose role should change?", bare_role=True)
    if role is None:
        raise GrammarError(WHICH_ROLE)
    return ChangeRole(room, changed, role)


def _read_remove(args: list[Token], _context: TimeContext) -> Command:
    room_end = first_index(args, is_person)
    removed = _required_people(args[room_end:], "Who should I remove?")
    return RemoveFromRoom(room_ref(args[:room_end]), removed)


def _room_people_role(
    args: list[Token], question: str, *, bare_role: bool
) -> tuple[RoomRef, tuple[PersonRef, ...], Role | None]:
    """'<room> <people…> [as] <role>': the room ends at the first mention or 'as'."""
    room_end = first_index(args, lambda token: is_person(token) or token.word == "as")
    role, rest = _take_role(args[room_end:], bare_role=bare_role)
    return room_ref(args[:room_end]), _required_people(rest, question), role


def _take_role(tokens: list[Token], *, bare_role: bool) -> tuple[Role | None, list[Token]]:
    """The role after 'as' (or, when allowed, a last word that isn't a mention)."""
    as_at = first_index(tokens, lambda token: token.word == "as")
    if as_at < len(tokens):
        named = tokens[as_at + 1].text if as_at + 1 < len(tokens) else ""
        return parse_role(named), tokens[:as_at] + tokens[as_at + 2 :]
    if bare_role and tokens and not is_person(tokens[-1]):
        return parse_role(tokens[-1].text), tokens[:-1]
    return None, tokens


def _required_people(tokens: list[Token], question: str) -> tuple[PersonRef, ...]:
    named = people(tokens)
    if not named:
        raise GrammarError(f"{question} {_MENTION_HINT}")
    return named


def _read_extend(args: list[Token], _context: TimeContext) -> Command:
    found = when.find_duration_suffix(words_of(args), first=0)
    if found is None:
        raise GrammarError("How much longer? End with a duration, like “by 30m”.")
    room_end, duration = found
    problem = when.duration_problem(duration)
    if problem is not None:
        raise GrammarError(problem)
    room_tokens = args[:room_end]
    if room_tokens and room_tokens[-1].word == "by":
        room_tokens = room_tokens[:-1]
    return ExtendRoom(room_ref(room_tokens), duration)


def _read_pstn(args: list[Token], _context: TimeContext) -> Command:
    switch = _SWITCH.get(args[-1].word) if args else None
    if switch is None:
        raise GrammarError("Say “on” or “off” after the room.")
    return SetPstn(room_ref(args[:-1]), switch)


def _read_help(args: list[Token], _context: TimeContext) -> Command:
    if not args:
        return ShowHelp(None)
    if len(args) == 1 and args[0].word in USAGE:
        return ShowHelp(args[0].word)
    asked = " ".join(words_of(args))
    raise GrammarError(f"There's no help on {quote(asked)}: try {', '.join(USAGE)}.")


def _read_audit(args: list[Token], context: TimeContext) -> Command:
    since_at = first_index(args, lambda token: token.word == "since")
    action_at = first_index(args, lambda token: token.word == "action")
    subject = _audit_subject(args[: min(since_at, action_at)])
    since_span = _keyword_span(args, since_at, action_at)
    action_span = _keyword_span(args, action_at, since_at)
    since = None if since_span is None else _audit_since(since_span, context)
    return ShowAudit(subject, since, None if action_span is None else _audit_action(action_span))


def _keyword_span(args: list[Token], keyword_at: int, other_at: int) -> list[Token] | None:
    """The tokens after a keyword up to the other keyword (or the end); None if it's absent."""
    if keyword_at == len(args):
        return None
    return args[keyword_at + 1 : other_at if other_at > keyword_at else len(args)]


def _audit_subject(tokens: list[Token]) -> RoomRef | tuple[PersonRef, ...] | None:
    if not tokens:
        return None
    if any(map(is_person, tokens)):
        return people(tokens)
    return room_ref(tokens)


def _audit_since(span: list[Token], context: TimeContext) -> datetime:
    if not span:
        raise GrammarError("Since when? Put a time after “since”.")
    since = context.time(span, prefer="past")
    if since is None:
        raise GrammarError(unreadable_time(span))
    return since


def _audit_action(span: list[Token]) -> str:
    if len(span) != 1 or span[0].quoted:
        raise GrammarError("Name one action after “action”, like “action invite”.")
    return span[0].word


READERS: dict[str, Callable[[list[Token], TimeContext], Command]] = {
    "list": _read_list,
    "show": _read_show,
    "invite": _read_invite,
    "role": _read_role,
    "remove": _read_remove,
    "extend": _read_extend,
    "pstn": _read_pstn,
    "delete": _read_delete,
    "help": _read_help,
    "audit": _read_audit,
}
