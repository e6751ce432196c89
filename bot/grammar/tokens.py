"""Words, quoted titles, people and room references: the pieces every `/room` subcommand uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.blocks.text import unescape
from bot.grammar.typed_commands import (
    ChannelRef,
    PersonRef,
    RoomRef,
    RoomRefKind,
    UserGroupRef,
    UserNameRef,
    UserRef,
)
from bot.services.domain import Role

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

MAX_TITLE = 150  # a Block Kit header holds 150 characters: the room card's title must fit
# Slack entities first, then quoted text (straight or curly, closing quote optional), then words.
_TOKEN = re.compile(r'(?P<reference><[@#!][^<>]*>)|["“”](?P<quoted>[^"“”]*)["“”]?|[^\s"“”]+')
_TRAILING_PUNCTUATION = ",;:.!?)"
_PERSON_FORMS: tuple[tuple[re.Pattern[str], Callable[[str], PersonRef]], ...] = (
    (re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>"), UserRef),
    (re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|[^<>]*)?>"), UserGroupRef),
    (re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^<>]*)?>"), ChannelRef),
    (re.compile(r"@([\w.\-']+)"), UserNameRef),
)
_BROADCASTS = re.compile(r"(?:<!|@)(here|channel|everyone)(?:\|[^<>]*)?>?", re.IGNORECASE)
ROLE_CHOICES = "presenter, attendee, consumer or collaborator"
WHICH_ROLE = f"Which role? Use {ROLE_CHOICES}."
_MAX_ECHO = 60
_ROOM_NUMBER = re.compile(r"#?([0-9]+)")


class GrammarError(Exception):
    """Something typed can't be read; the message says what, in plain words."""


@dataclass(frozen=True)
class Token:
    """A piece of the typed text, entities decoded. `reference` marks Slack's own `<@U…>`,
    `<!subteam^…>` or `<#C…>`; text that only looks like one was typed, so it is not one."""

    text: str
    quoted: bool = False
    reference: bool = False
    typed: str = ""  # quoted text with its quotes, as it stands in a title

    @property
    def as_typed(self) -> str:
        return self.typed or self.text

    @property
    def word(self) -> str:
        """Lower-cased for keyword matching; quoted text is never a keyword."""
        return "" if self.quoted else self.text.lower()


def tokenize(text: str) -> list[Token]:
    return [_token(match) for match in _TOKEN.finditer(text)]


def _token(match: re.Match[str]) -> Token:
    # Slack escapes every typed "<", so a "<@", "<#" or "<!" it sends opens one of its references.
    if match.group("reference") is not None:
        return Token(match.group(0), reference=True)
    quoted = match.group("quoted")
    if quoted is not None:
        typed = unescape(match.group(0))
        return Token(" ".join(unescape(quoted).split()), quoted=True, typed=typed)
    return Token(unescape(match.group(0)))


def quote(text: str) -> str:
    """Echo typed text back in a message, cut short: a 4,000-character line stays readable."""
    shown = text if len(text) <= _MAX_ECHO else text[: _MAX_ECHO - 1] + "…"
    return f"“{shown}”"


def words_of(tokens: Iterable[Token]) -> list[str]:
    return [token.text for token in tokens]


def is_person(token: Token) -> bool:
    """Shaped like a mention (it may still fail to read as one)."""
    if token.quoted:
        return False
    return token.reference or (len(token.text) > 1 and token.text.startswith("@"))


def person(token: Token) -> PersonRef:
    text = token.text
    if text.startswith("@"):
        text = text.rstrip(_TRAILING_PUNCTUATION)
    if _BROADCASTS.fullmatch(text):
        raise GrammarError(f"{quote(text)} isn't a person: mention people, groups or channels.")
    forms = _PERSON_FORMS if token.reference else _PERSON_FORMS[-1:]  # typed: only "@name"
    for pattern, make_ref in forms:
        match = pattern.fullmatch(text)
        if match is not None:
            return make_ref(match.group(1))
    raise GrammarError(f"I couldn't read {quote(text)} as a person, group or channel.")


def people(tokens: Iterable[Token]) -> tuple[PersonRef, ...]:
    """Every token must be a mention ('and' and commas may join them); duplicates go."""
    refs = [person(token) for token in tokens if not is_joiner(token)]
    return tuple(dict.fromkeys(refs))


def is_joiner(token: Token) -> bool:
    """'and' or bare punctuation between mentions: "@ana, @ben and @cho"."""
    return token.word == "and" or (not token.quoted and not token.text.strip(",;&"))


def first_index(tokens: Sequence[Token], wanted: Callable[[Token], bool], start: int = 0) -> int:
    """Index of the first token from `start` that is wanted, or len(tokens) when none is."""
    return next((i for i in range(start, len(tokens)) if wanted(tokens[i])), len(tokens))


def room_ref(tokens: Sequence[Token]) -> RoomRef:
    if not tokens:
        raise GrammarError("Which room? Give its number (#12), its ID or its title.")
    only = tokens[0]
    number = _ROOM_NUMBER.fullmatch(only.text)
    if len(tokens) == 1 and not only.quoted and number is not None:
        return _numbered_room(number.group(1))
    return RoomRef(RoomRefKind.TITLE, title(tokens))


def numbered_room(text: str) -> RoomRef:
    """A room named by its number (#12, 12) or its ACS room ID, as a workflow step gives it."""
    number = _ROOM_NUMBER.fullmatch(text.strip())
    if number is None:
        raise GrammarError(
            f"{quote(text[:40])} is not a room: give its number (#12) or its ACS room ID."
        )
    return _numbered_room(number.group(1))


def _numbered_room(digits: str) -> RoomRef:
    if 16 <= len(digits) <= 18:
        return RoomRef(RoomRefKind.ACS_ID, digits)
    if len(digits) > 9:
        raise GrammarError(
            f"{quote(digits)} is neither a room number nor a room ID (16 to 18 digits)."
        )
    if not digits.strip("0"):
        raise GrammarError("Room numbers start at #1.")
    return RoomRef(RoomRefKind.NUMBER, digits.lstrip("0"))


def title(tokens: Sequence[Token]) -> str:
    """A whole title in quotes is what is inside them; quotes within a title are part of it
    (`R&D "north" sync` keeps its quotes)."""
    whole = len(tokens) == 1 and tokens[0].quoted
    pieces = [tokens[0].text] if whole else [token.as_typed for token in tokens]
    text = " ".join(" ".join(pieces).split())
    if not text:
        raise GrammarError("The title is empty.")
    if len(text) > MAX_TITLE:
        raise GrammarError(f"The title is too long: at most {MAX_TITLE} characters.")
    return text


def parse_role(named: str) -> Role:
    role = Role.parse(named)
    if role is None and not named:
        raise GrammarError(WHICH_ROLE)
    if role is None:
        raise GrammarError(f"{quote(named)} isn't a role: use {ROLE_CHOICES}.")
    return role
