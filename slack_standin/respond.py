"""What a response_url POST does to the conversation: post, replace or delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.checks.messages import checked_content
from slack_standin.messages import Message, bot_message
from slack_standin.wire import ApiError

if TYPE_CHECKING:
    from slack_standin.responses import ResponseTarget
    from slack_standin.state import StandinState


def apply_response(state: StandinState, target: ResponseTarget, payload: dict[str, Any]) -> None:
    try:
        _apply(state, target, payload)
    except ApiError as exc:
        # A response_url answers a body it refuses (no_text, invalid_blocks, …) with HTTP 400.
        raise ApiError(exc.code, 400, messages=exc.messages, fields=exc.fields) from exc


def _apply(state: StandinState, target: ResponseTarget, payload: dict[str, Any]) -> None:
    if _flag(payload.get("delete_original")):
        _delete_original(state, target)
    elif _flag(payload.get("replace_original")) and target.original_ts is not None:
        _replace_original(state, target, checked_content(payload, state.slack_calls))
    elif payload.get("response_type") == "in_channel":
        _post_in_channel(state, target, payload)
    else:
        _post_ephemeral(state, target, payload)


def _post_in_channel(state: StandinState, target: ResponseTarget, payload: dict[str, Any]) -> None:
    # response_url works where the bot is not a member: no membership check here.
    content = checked_content(payload, state.slack_calls)
    ts = state.stamps.next()
    message = bot_message(state.workspace.team_id, state.bot_identity(), ts, content)
    if payload.get("thread_ts"):
        message["thread_ts"] = str(payload["thread_ts"])
    state.history.add(target.channel_id, message)
    target.original_ts, target.original_is_ephemeral = ts, False


def _post_ephemeral(state: StandinState, target: ResponseTarget, payload: dict[str, Any]) -> None:
    content = checked_content(payload, state.slack_calls)
    entry: Message = {"type": "message", "ts": state.stamps.next(), "channel": target.channel_id}
    entry.update({"user": target.user_id, "source": "response_url", **content})
    state.ephemerals.add(entry)
    target.original_ts, target.original_is_ephemeral = entry["ts"], True


def _replace_original(state: StandinState, target: ResponseTarget, content: Message) -> None:
    original = _original(state, target)
    if original is None:
        return
    for key in ("blocks", "attachments"):
        original.pop(key, None)  # a replacement is a whole new message, not a merge
    original.update(content)
    if not target.original_is_ephemeral:
        original["edited"] = {"user": state.workspace.bot_user_id, "ts": state.stamps.next()}


def _delete_original(state: StandinState, target: ResponseTarget) -> None:
    if target.original_ts is None:
        return
    if target.original_is_ephemeral:
        state.ephemerals.remove(target.original_ts)
    else:
        state.history.remove(target.channel_id, target.original_ts)
    target.original_ts = None


def _original(state: StandinState, target: ResponseTarget) -> Message | None:
    ts = target.original_ts or ""
    if target.original_is_ephemeral:
        return state.ephemerals.find(ts)
    return state.history.find(target.channel_id, ts)


def _flag(value: Any) -> bool:
    return value in (True, "true", "1", 1)
