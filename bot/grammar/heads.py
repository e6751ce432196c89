"""Where a name ends and the clauses begin, for create and reschedule.

`Design review tomorrow 14:00 for 90m` splits into a head ("Design review tomorrow 14:00", where
the title ends at the longest readable time) and clauses ("for 90m"). A keyword starts a clause
only when what follows it reads, so "Plan for Q3" stays a title.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.grammar import time_words as when_words
from bot.grammar import times as when
from bot.grammar.tokens import GrammarError, Token, first_index, is_person, quote, words_of
from bot.services.domain import Role

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

START_WORDS = frozenset(("from", "at"))
END_WORDS = frozenset(("until", "till", "to"))
_SPAN_STOPS = {"from", "for", "as", "pstn"} | END_WORDS  # not "at": "tomorrow at 9am"
DURATION_HINT = "like 30m, 2h or 1h30m"
_QUOTE_HINT = 'If that belongs to the title, put the title in quotes: "Coffee at 5th Ave".'


@dataclass(frozen=True)
class TimeContext:
    """The injected now and the requesting user's zone."""

    now: datetime
    tz: ZoneInfo

    def time(self, tokens: list[Token], prefer: when.Prefer = "future") -> datetime | None:
        return when.parse_time(" ".join(words_of(tokens)), now=self.now, tz=self.tz, prefer=prefer)


def span_after(tokens: list[Token], index: int) -> list[Token]:
    """The words after a keyword, up to the next keyword, mention or quoted text."""
    stop = first_index(tokens, _ends_span, index + 1)
    return tokens[index + 1 : stop]


def _ends_span(token: Token) -> bool:
    return token.quoted or is_person(token) or token.word in _SPAN_STOPS


def head_length(tokens: list[Token], context: TimeContext) -> int:
    """How many leading tokens name the thing (and maybe its start) before the clauses."""
    if tokens and is_person(tokens[0]):
        return 0
    clause_starts = (i for i in range(1, len(tokens)) if _starts_clause(tokens, i, context))
    return next(clause_starts, len(tokens))


def _starts_clause(tokens: list[Token], index: int, context: TimeContext) -> bool:
    token = tokens[index]
    if is_person(token) or token.word == "pstn":
        return True
    if token.word == "as":
        return _is_role_slot(tokens, index)
    if token.word in END_WORDS | {"for"} and index + 1 == len(tokens):
        return True  # a dangling "for" is an unfinished clause, not the end of a title
    if token.word == "for":
        return when.parse_duration(" ".join(words_of(span_after(tokens, index)))) is not None
    return token.word in END_WORDS and context.time(span_after(tokens, index)) is not None


def _is_role_slot(tokens: list[Token], index: int) -> bool:
    """'as presenter', or 'as <word> @someone' (a misspelled role), but not 'Sync as a team'."""
    following = tokens[index + 1 : index + 3]
    if following and Role.parse(following[0].word) is not None:
        return True
    return len(following) == 2 and is_person(following[1])


def split_head(
    head: list[Token], context: TimeContext, *, missing_name: str
) -> tuple[list[Token], datetime | None]:
    """Name tokens and the start typed after them: the longest readable time at the end."""
    if not head or (not head[0].quoted and context.time(head) is not None):
        raise GrammarError(missing_name)
    first = 1 + max((i for i, token in enumerate(head) if token.quoted), default=0)
    found = when.find_time_suffix(words_of(head), now=context.now, tz=context.tz, first=first)
    time_at = len(head) if found is None else found[0]
    _reject_misread_time(head, first, time_at)
    if found is None:
        _reject_misread_duration(head)
        return head, None
    return head[: found[0]], found[1]


def _reject_misread_time(head: list[Token], first: int, time_at: int) -> None:
    """A time typed wrong must not quietly join the title."""
    after_keyword = _after_start_keyword(head, first, time_at)
    if after_keyword is not None:  # the likeliest guess to be wrong: say how to keep the title
        raise GrammarError(f"{unreadable_time(head[after_keyword:])} {_QUOTE_HINT}")
    starts = (check(head, first, time_at) for check in (_clock_at_end, _near_miss_before))
    misread_at = next((start for start in starts if start is not None), None)
    if misread_at is not None:
        raise GrammarError(unreadable_time(head[misread_at:]))


def unreadable_time(tokens: list[Token]) -> str:
    return f"I couldn't read {quote(' '.join(words_of(tokens)))} as a time."


def _after_start_keyword(head: list[Token], first: int, time_at: int) -> int | None:
    """'Sync from blorpday': "from"/"at" before something time-shaped (not "Notes from Lisbon")."""
    for index in range(first, min(time_at, len(head) - 1)):
        if head[index].word in START_WORDS and when_words.is_time_shaped(head[index + 1].word):
            return index + 1
    return None


def _clock_at_end(head: list[Token], first: int, time_at: int) -> int | None:
    """'Standup 25:00': a clock-shaped last word that didn't read."""
    last = len(head) - 1
    if time_at < len(head) or last < first or not when_words.looks_like_clock(head[last].word):
        return None
    return _start_of_time_words(head, first, last)


def _near_miss_before(head: list[Token], first: int, time_at: int) -> int | None:
    """'review tomorow 9am': a near miss of a time word just before the time that did read."""
    suspect = time_at - 1
    if time_at == len(head) or suspect < first or not when_words.is_time_typo(head[suspect].word):
        return None
    return _start_of_time_words(head, first, suspect)


def _start_of_time_words(head: list[Token], first: int, index: int) -> int:
    while index > first and when_words.is_time_word_or_typo(head[index - 1].word):
        index -= 1
    return index


def _reject_misread_duration(head: list[Token]) -> None:
    """'Design review for 9Om': 'for' and something shaped like an amount is a typo."""
    for index, token in enumerate(head[:-1]):
        if token.word == "for" and when_words.looks_like_amount(head[index + 1].word):
            raise GrammarError(unreadable_duration(span_after(head, index)))


def unreadable_duration(span: list[Token]) -> str:
    return f"I couldn't read {quote(' '.join(words_of(span)))} as a duration ({DURATION_HINT})."
