"""Safe text for Slack: escaping user input, truncation, local-time dates, mentions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

ELLIPSIS = "…"

# Slack parses only these three characters as markup; escaping them is enough to stop
# `<!channel>`, `<@U…>`, `<#C…>` and `<url|label>` typed by a user from pinging or linking.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# A cut can land inside "&amp;" or "<@U123>"; a half token would render as garbage.
_DANGLING_TOKEN = re.compile(r"(&[#\w]{0,8}|<[^<>]*)\Z")
_SLACK_ID = re.compile(r"\A[UWBCGD][A-Z0-9]{2,}\Z")


def escape(user_text: str) -> str:
    """Make user text inert in mrkdwn (and in plain_text, where Slack decodes the entities)."""
    return user_text.translate(_ESCAPES)


def unescape(slack_text: str) -> str:
    """Typed text as the person typed it: Slack sends `&`, `<`, `>` in slash-command and
    message text as entities. Decode once, on the way in; `escape` once on the way out."""
    # "&amp;" last, so "&amp;lt;" (a typed "&lt;") becomes "&lt;", not "<".
    return slack_text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def truncate(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its start plus "…" (never a half token)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if len(text) <= limit:
        return text
    head = _DANGLING_TOKEN.sub("", text[: limit - len(ELLIPSIS)])
    return head + ELLIPSIS


def safe(user_text: str, limit: int) -> str:
    """Escaped, then truncated so the *escaped* form fits: entities count towards Slack limits."""
    return truncate(escape(user_text), limit)


def one_line(text: str) -> str:
    """Collapse newlines and runs of spaces (titles end up in one-line inputs and summaries)."""
    return " ".join(text.split())


def slack_date(dt: datetime, fmt: str = "{date_short_pretty} at {time}") -> str:
    """`<!date^…>`: every reader sees `dt` in their own time zone; the fallback is UTC."""
    if dt.tzinfo is None:
        raise ValueError("slack_date needs a timezone-aware datetime")
    utc = dt.astimezone(UTC)
    fallback = utc.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(utc.timestamp())}^{fmt}|{fallback}>"


def mention(user_id: str) -> str:
    """`<@U…>` for a Slack user id; anything that is not an id is shown escaped, never parsed."""
    return f"<@{user_id}>" if _SLACK_ID.match(user_id) else escape(user_id)


def channel_link(channel_id: str) -> str:
    return f"<#{channel_id}>" if _SLACK_ID.match(channel_id) else escape(channel_id)


def join_within(items: list[str], budget: int) -> str:
    """Comma-join as many items as fit in `budget` characters, then "…and N more"."""
    shown: list[str] = []
    used = 0
    for index, item in enumerate(items):
        left_after = len(items) - index - 1
        # Keep room for the "…and N more" this item would leave behind if it is the last shown.
        reserve = len(f", …and {left_after} more") if left_after else 0
        if used + len(item) + 2 + reserve > budget:
            return ", ".join([*shown, f"…and {len(items) - index} more"])
        shown.append(item)
        used += len(item) + 2
    return ", ".join(shown)
