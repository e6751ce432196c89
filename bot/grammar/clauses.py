"""The clauses after a create or reschedule head: when, for how long, who, and pstn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.grammar import times as when
from bot.grammar.heads import (
    END_WORDS,
    START_WORDS,
    TimeContext,
    span_after,
    unreadable_duration,
    unreadable_time,
)
from bot.grammar.tokens import (
    GrammarError,
    Token,
    is_joiner,
    is_person,
    parse_role,
    person,
    quote,
    words_of,
)
from bot.services.domain import Role

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from bot.grammar.typed_commands import PersonRef

_TIME_KEYWORDS = START_WORDS | END_WORDS | {"for"}


@dataclass
class Draft:
    """What the head and the clauses have said so far."""

    start: datetime | None = None
    end_span: list[Token] | None = None  # read once the start is known: "from fri 9am to 11am"
    duration: timedelta | None = None
    role: Role = Role.ATTENDEE
    people: dict[PersonRef, Role] = field(default_factory=dict)
    pstn: bool = False

    def add_person(self, ref: PersonRef) -> None:
        # Named again: the later role is the more deliberate one; the first position stays.
        self.people[ref] = self.role


def read_clauses(
    tokens: list[Token], draft: Draft, context: TimeContext, *, with_people: bool
) -> None:
    """Apply every clause in `tokens` to the draft; anything unreadable is a GrammarError."""
    index = 0
    while index < len(tokens):
        index = _read_clause(tokens, index, draft, context, with_people)


def _read_clause(
    tokens: list[Token], index: int, draft: Draft, context: TimeContext, with_people: bool
) -> int:
    """Read one clause starting at `index`; return where the next one starts."""
    token = tokens[index]
    if with_people and (is_person(token) or token.word in ("as", "pstn")):
        return _read_people_clause(tokens, index, draft)
    if is_joiner(token):
        return index + 1
    if token.word not in _TIME_KEYWORDS:
        raise GrammarError(f"I didn't understand {quote(token.text)} there.")
    span = span_after(tokens, index)
    _read_time_clause(token.word, span, draft, context)
    return index + 1 + len(span)


def _read_people_clause(tokens: list[Token], index: int, draft: Draft) -> int:
    token = tokens[index]
    if token.word == "pstn":
        draft.pstn = True
    elif token.word == "as":
        draft.role = parse_role(tokens[index + 1].text if index + 1 < len(tokens) else "")
        return index + 2
    else:
        draft.add_person(person(token))
    return index + 1


def _read_time_clause(keyword: str, span: list[Token], draft: Draft, context: TimeContext) -> None:
    if not span:
        raise GrammarError(f"Put a {'duration' if keyword == 'for' else 'time'} after “{keyword}”.")
    if keyword == "for":
        _set_duration(draft, span)
    elif keyword in END_WORDS:
        _refuse_second_end(draft)
        draft.end_span = span
    elif draft.start is not None:
        raise GrammarError("Give the start only once.")
    else:
        draft.start = time_or_error(span, context)


def _set_duration(draft: Draft, span: list[Token]) -> None:
    _refuse_second_end(draft)
    duration = when.parse_duration(" ".join(words_of(span)))
    if duration is None:
        raise GrammarError(unreadable_duration(span))
    problem = when.duration_problem(duration)
    if problem is not None:
        raise GrammarError(problem)
    draft.duration = duration


def _refuse_second_end(draft: Draft) -> None:
    if draft.end_span is not None or draft.duration is not None:
        raise GrammarError("Give either “for <duration>” or “until <time>”, once.")


def end_of(draft: Draft, context: TimeContext) -> datetime | None:
    """The end, read from the start (or now): "until 11am" after "from fri 9am" is Friday's."""
    if draft.end_span is None:
        return None
    return time_or_error(draft.end_span, TimeContext(draft.start or context.now, context.tz))


def time_or_error(span: list[Token], context: TimeContext) -> datetime:
    moment = context.time(span)
    if moment is None:
        raise GrammarError(unreadable_time(span))
    return moment
