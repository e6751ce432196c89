"""chat.unfurl: the app's previews under links Slack shared with it (link_shared).

Errors, from Slack's chat.unfurl reference: `missing_unfurls` (also for an empty object),
`invalid_unfurls_format` (not a JSON object of url → unfurl), `cannot_find_channel`,
`cannot_find_message` (no such message;
the stand-in also answers it for an unknown `unfurl_id`), `cannot_unfurl_url` (a url the app
was not sent in a link_shared for that message), `cannot_parse_attachment` (an unfurl that is
not an object with blocks or attachment text). Blocks are checked as in messages; their
refusal is `invalid_arguments` with Slack's reasons, the error Slack's reference gives for
"complex arguments like blocks or attachments".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.checks.blocks import MESSAGE_BLOCKS_MAX, block_problems
from slack_standin.checks.reasons import problem
from slack_standin.unfurls import SOURCE
from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from collections.abc import Container

    from slack_standin.state import StandinState
    from slack_standin.unfurls import Share

_SOURCES = ("composer", SOURCE)
_ATTACHMENT_TEXT = ("text", "title", "fallback", "pretext")


def unfurl(state: StandinState, args: Args) -> dict[str, Any]:
    share = _share(state, args)
    unfurls = args.structured("unfurls")
    if unfurls in (None, "", {}):
        raise ApiError("missing_unfurls")
    if not isinstance(unfurls, dict):
        raise ApiError("invalid_unfurls_format")
    if share is None or any(url not in share.urls for url in unfurls):
        raise ApiError("cannot_unfurl_url")
    reasons: list[str] = []
    for url, preview in unfurls.items():
        reasons += _problems(url, preview, state.slack_calls)
    if not all(_parsable(preview) for preview in unfurls.values()):
        raise ApiError("cannot_parse_attachment", messages=reasons)
    if reasons:
        raise ApiError("invalid_arguments", messages=reasons)
    state.unfurls.attach(share, unfurls)
    return {}


def _share(state: StandinState, args: Args) -> Share | None:
    """The links shared for the message named by channel and ts, or by unfurl_id and source."""
    channel, ts = args.text("channel"), args.text("ts")
    unfurl_id, source = args.text("unfurl_id"), args.text("source")
    if channel and ts:
        if channel not in state.workspace.channels:
            raise ApiError("cannot_find_channel")
        if state.history.find(channel, ts) is None:
            raise ApiError("cannot_find_message")
        return state.unfurls.find(channel, ts)
    if unfurl_id and source in _SOURCES:
        found = state.unfurls.by_unfurl_id(unfurl_id) if source == SOURCE else None
        if found is None:
            raise ApiError("cannot_find_message")
        return found
    reason = "channel and ts, or unfurl_id and source (composer or conversations_history)"
    raise ApiError("invalid_arguments", messages=[problem(f"must be given together: {reason}")])


def _parsable(preview: Any) -> bool:
    if not isinstance(preview, dict):
        return False
    return "blocks" in preview or any(preview.get(key) for key in _ATTACHMENT_TEXT)


def _problems(url: str, preview: Any, known_calls: Container[str]) -> list[str]:
    pointer = "/unfurls/" + url.replace("~", "~0").replace("/", "~1")  # RFC 6901
    if not _parsable(preview):
        return [problem("an unfurl is an object with blocks or attachment text", pointer)]
    blocks = preview.get("blocks")
    if blocks is None:
        return []
    return block_problems(blocks, f"{pointer}/blocks", MESSAGE_BLOCKS_MAX, known_calls)


HANDLERS = {"chat.unfurl": unfurl}
