"""chat.*: messages in channels, threads, and ephemeral replies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.checks.messages import checked_content
from slack_standin.messages import Message, bot_message
from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from slack_standin.state import StandinState


def post_message(state: StandinState, args: Args) -> dict[str, Any]:
    content = checked_content(args.raw, state.slack_calls)
    channel = state.postable_channel(args.text("channel"))
    ts = state.stamps.next()
    message = bot_message(state.workspace.team_id, state.bot_identity(), ts, content)
    thread_ts = args.text("thread_ts")
    if thread_ts:
        message["thread_ts"] = thread_ts
    state.history.add(channel.id, message)
    return {"channel": channel.id, "ts": ts, "message": state.slack_calls.decorated(message)}


def update(state: StandinState, args: Args) -> dict[str, Any]:
    content = checked_content(args.raw, state.slack_calls)
    channel = state.visible_channel(args.text("channel"))
    message = _own_message(state, channel.id, args.text("ts"), "cant_update_message")
    message.update(content)
    message["edited"] = {"user": state.workspace.bot_user_id, "ts": state.stamps.next()}
    shown = state.slack_calls.decorated(message)
    return {"channel": channel.id, "ts": message["ts"], "text": message["text"], "message": shown}


def post_ephemeral(state: StandinState, args: Args) -> dict[str, Any]:
    content = checked_content(args.raw, state.slack_calls)
    channel = state.postable_channel(args.text("channel"))
    user = state.user(args.text("user"))
    if not channel.is_im and user.id not in channel.members:
        raise ApiError("user_not_in_channel")
    entry: Message = {"type": "message", "ts": state.stamps.next(), "channel": channel.id}
    entry.update({"user": user.id, "source": "chat.postEphemeral", **content})
    if args.text("thread_ts"):
        entry["thread_ts"] = args.text("thread_ts")
    state.ephemerals.add(entry)
    return {"message_ts": entry["ts"]}


def delete(state: StandinState, args: Args) -> dict[str, Any]:
    channel = state.visible_channel(args.text("channel"))
    message = _own_message(state, channel.id, args.text("ts"), "cant_delete_message")
    state.history.remove(channel.id, message["ts"])
    return {"channel": channel.id, "ts": message["ts"]}


def get_permalink(state: StandinState, args: Args) -> dict[str, Any]:
    channel = state.visible_channel(args.text("channel"))
    message = state.history.find(channel.id, args.text("message_ts") or "")
    if message is None:
        raise ApiError("message_not_found")
    link = state.permalink(channel.id, message["ts"], message.get("thread_ts"))
    return {"channel": channel.id, "permalink": link}


def _own_message(state: StandinState, channel_id: str, ts: str | None, refusal: str) -> Message:
    message = state.history.find(channel_id, ts or "")
    if message is None:
        raise ApiError("message_not_found")
    if message.get("bot_id") != state.workspace.bot_id:
        raise ApiError(refusal)  # a bot token can only change the app's own messages
    return message


HANDLERS = {
    "chat.postMessage": post_message,
    "chat.update": update,
    "chat.postEphemeral": post_ephemeral,
    "chat.delete": delete,
    "chat.getPermalink": get_permalink,
}
