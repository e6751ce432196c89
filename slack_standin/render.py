"""Messages and views (modal, App Home) as the text a terminal can show.

Pure functions: the console prints them, tests assert on them, so the layout is stable:
  # Header                       header block
  text lines                     section text; fields and accessory indented below
  ---                            divider
    a · b                        context elements
  [Extend +1h] (extend_room)     buttons with their action_id
  Title [block.action]: plain_text_input = "Team sync"    input blocks
  📞 Team sync — 2 in the call: @ana, Kim · Join: https://…   call blocks (Call ended, 45 min)
  | # Team sync                  attachments under the message: their blocks (an app's unfurl
  | text lines                   of a link in it, chat.unfurl), else their text
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from slack_standin.elements import Json, describe, summary, text_of
from slack_standin.mrkdwn import Names, Reader, render_mrkdwn

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

__all__ = ["Names", "render_blocks", "render_message", "render_mrkdwn_text", "render_view"]


def render_message(
    message: Json, *, names: Names = str, tz: str = "UTC", now: float | None = None
) -> str:
    """A message as its reader sees it: its blocks when it has any, else its text."""
    reader = _reader(names, tz, now)
    lines = _blocks(message.get("blocks") or [], reader)
    if not lines:
        lines = render_mrkdwn(str(message.get("text", "")), reader).splitlines()
    attachments = message.get("attachments") or []
    lines += [line for a in attachments for line in _attachment(a, reader)]
    lines += [f"[file: {f.get('title') or f.get('name')}]" for f in message.get("files") or []]
    return "\n".join(lines)


def render_view(
    view: Json, *, names: Names = str, tz: str = "UTC", now: float | None = None
) -> str:
    """A modal (title, blocks, its Close/Submit buttons) or an App Home tab."""
    reader = _reader(names, tz, now)
    if view.get("type") == "home":
        return "\n".join(["== Home ==", *_blocks(view.get("blocks") or [], reader)])
    title = text_of(view.get("title"), reader)
    footer = [f"[{text_of(view.get('close'), reader) or 'Cancel'}] (close)"]
    if view.get("submit"):
        footer.append(f"[{text_of(view['submit'], reader)}] (submit)")
    body = _blocks(view.get("blocks") or [], reader)
    return "\n".join([f"== {title} ==", *body, "  ".join(footer)])


def render_blocks(
    blocks: Sequence[Json], *, names: Names = str, tz: str = "UTC", now: float | None = None
) -> str:
    return "\n".join(_blocks(blocks, _reader(names, tz, now)))


def render_mrkdwn_text(
    text: str, *, names: Names = str, tz: str = "UTC", now: float | None = None
) -> str:
    return render_mrkdwn(text, _reader(names, tz, now))


def _reader(names: Names, tz: str, now: float | None) -> Reader:
    return Reader(names, ZoneInfo(tz), now)


def _blocks(blocks: Sequence[Json], reader: Reader) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        render = _BLOCKS.get(str(block.get("type")), _unknown)
        lines.extend(render(block, reader))
    return lines


def _section(block: Json, reader: Reader) -> list[str]:
    lines = text_of(block.get("text"), reader).splitlines()
    lines += ["  " + text_of(f, reader).replace("\n", " ") for f in block.get("fields") or []]
    if block.get("accessory"):
        lines.append("  " + describe(block["accessory"], reader))
    return lines


def _header(block: Json, reader: Reader) -> list[str]:
    return [f"# {text_of(block.get('text'), reader)}"]


def _context(block: Json, reader: Reader) -> list[str]:
    return ["  " + " · ".join(describe(e, reader) for e in block.get("elements") or [])]


def _actions(block: Json, reader: Reader) -> list[str]:
    return ["  ".join(describe(e, reader) for e in block.get("elements") or [])]


def _input(block: Json, reader: Reader) -> list[str]:
    element = block.get("element") or {}
    address = ".".join(str(p) for p in (block.get("block_id"), element.get("action_id")) if p)
    optional = " (optional)" if block.get("optional") else ""
    label = text_of(block.get("label"), reader)
    lines = [f"{label}{optional} [{address}]: {summary(element, reader)}"]
    if block.get("hint"):
        lines.append(f"  hint: {text_of(block['hint'], reader)}")
    return lines


def _image(block: Json, reader: Reader) -> list[str]:
    return [f"[image: {block.get('alt_text', '')}]"]


def _rich_text(block: Json, reader: Reader) -> list[str]:
    text = "".join(
        _rich_piece(p) for part in block.get("elements") or [] for p in part.get("elements") or []
    )
    return render_mrkdwn(text, reader).splitlines()


def _rich_piece(piece: Json) -> str:
    """Rich text pieces rewritten as the mrkdwn sequences that render the same way."""
    kind = piece.get("type")
    sequences = {
        "user": f"<@{piece.get('user_id')}>",
        "channel": f"<#{piece.get('channel_id')}>",
        "usergroup": f"<!subteam^{piece.get('usergroup_id')}>",
        "broadcast": f"<!{piece.get('range')}>",
        "date": f"<!date^{piece.get('timestamp')}^{piece.get('format')}|{piece.get('fallback')}>",
        "link": f"<{piece.get('url')}|{piece.get('text') or piece.get('url')}>",
        "emoji": f":{piece.get('name')}:",
    }
    return sequences.get(str(kind), str(piece.get("text", "")))


def _call(block: Json, reader: Reader) -> list[str]:
    """A call block as Slack shows it: from the Call it carries (`call.v1`, as messages read
    from the stand-in have it), else just its id."""
    call = (block.get("call") or {}).get("v1")
    if not call:
        return [f"📞 Call {block.get('call_id')}"]
    title = call.get("title") or "Call"
    if call.get("date_end") is not None:
        minutes = max(0, int(call["date_end"]) - int(call.get("date_start") or 0)) // 60
        return [f"📞 {title} — Call ended, {minutes} min"]
    people = [_participant(u, reader) for u in call.get("users") or []]
    present = f"{len(people)} in the call" + (f": {', '.join(people)}" if people else "")
    return [f"📞 {title} — {present} · Join: {call.get('join_url')}"]


def _participant(user: Json, reader: Reader) -> str:
    if user.get("slack_id"):
        return "@" + reader.names(str(user["slack_id"]))
    return str(user.get("display_name") or user.get("external_id"))


def _divider(block: Json, reader: Reader) -> list[str]:
    return ["---"]


def _unknown(block: Json, reader: Reader) -> list[str]:
    return [f"[{block.get('type')} block]"]


def _attachment(attachment: Json, reader: Reader) -> list[str]:
    """Quoted under the message: an attachment's blocks (an app's unfurl), else its text."""
    lines = _blocks(attachment.get("blocks") or [], reader)
    if not lines:
        return [f"| {render_mrkdwn(_attachment_text(attachment), reader)}"]
    return [f"| {line}" for line in lines]


def _attachment_text(attachment: Mapping[str, Any]) -> str:
    return str(attachment.get("text") or attachment.get("fallback") or "")


_BLOCKS: dict[str, Callable[[Json, Reader], list[str]]] = {
    "section": _section,
    "header": _header,
    "divider": _divider,
    "context": _context,
    "actions": _actions,
    "input": _input,
    "image": _image,
    "rich_text": _rich_text,
    "call": _call,
}
