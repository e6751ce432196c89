"""What Slack does to text a person types before an app sees it (slash commands, messages).

Slack sends the three control characters `&`, `<` and `>` as `&amp;`, `&lt;` and `&gt;`
("Formatting text for app surfaces: escaping"). With `should_escape` (RoomBot's manifest sets
it) Slack also turns the names a person typed or picked into references: `@ana` becomes
`<@U…|ana>`, `@design` (a user group) `<!subteam^S…|@design>`, `#design` `<#C…|design>`, and
`@here` `<!here>`. A name Slack does not know stays plain text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slack_standin.workspace import Workspace

# A reference already in Slack's form stands for a name picked from the autocomplete list:
# it is sent as it is. Everything else is typed text.
_REFERENCE = re.compile(
    r"<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|!subteam\^[A-Z0-9]+|!(?:here|channel|everyone))"
    r"(?:\|[^<>]*)?>"
)
_NAME = re.compile(r"(?<![\w&])([@#])([\w.\-']+)")
_BROADCASTS = frozenset({"here", "channel", "everyone"})
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_BARE_URL = re.compile(r"(?<![<|\w])https?://[^\s<>|]+")
_AFTER_URL = ".,;:!?)'\""  # punctuation that ends a sentence, not the link


def as_slack_sends(typed: str, workspace: Workspace | None = None) -> str:
    """`typed` as an app receives it: control characters escaped, known names as references."""
    pieces: list[str] = []
    position = 0
    for reference in _REFERENCE.finditer(typed):
        pieces.append(_typed_part(typed[position : reference.start()], workspace))
        pieces.append(reference.group(0))
        position = reference.end()
    pieces.append(_typed_part(typed[position:], workspace))
    return "".join(pieces)


def with_links(text: str) -> str:
    """Escaped message text with its typed URLs as Slack stores them in a message: `<https://…>`."""
    return _BARE_URL.sub(_link, text)


def _link(match: re.Match[str]) -> str:
    url = match.group(0).rstrip(_AFTER_URL)
    return f"<{url}>{match.group(0)[len(url) :]}"


def escape(text: str) -> str:
    return text.translate(_ENTITIES)


def _typed_part(text: str, workspace: Workspace | None) -> str:
    escaped = escape(text)
    if workspace is None:
        return escaped
    return _NAME.sub(lambda match: _reference(match, workspace), escaped)


def _reference(match: re.Match[str], workspace: Workspace) -> str:
    sigil, name = match.group(1), match.group(2)
    # Trailing punctuation is not part of a name: "@ana," names ana.
    bare = name.rstrip(".-'")
    rest = name[len(bare) :]
    found = _known(sigil, bare, workspace)
    return match.group(0) if found is None else found + rest


def _known(sigil: str, name: str, workspace: Workspace) -> str | None:
    if sigil == "#":
        return _channel(name, workspace)
    if name.lower() in _BROADCASTS:
        return f"<!{name.lower()}>"
    return _user(name, workspace) or _usergroup(name, workspace)


def _channel(name: str, workspace: Workspace) -> str | None:
    found = next((c for c in workspace.channels.values() if c.name == name), None)
    return None if found is None or found.is_im else f"<#{found.id}|{found.name}>"


def _user(name: str, workspace: Workspace) -> str | None:
    found = next((u for u in workspace.users.values() if u.name == name), None)
    return None if found is None else f"<@{found.id}|{found.name}>"


def _usergroup(handle: str, workspace: Workspace) -> str | None:
    found = next((g for g in workspace.usergroups.values() if g.handle == handle), None)
    return None if found is None else f"<!subteam^{found.id}|@{found.handle}>"
