"""files.*: the v2 upload flow that `WebClient.files_upload_v2` drives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.messages import bot_message
from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from slack_standin.state import StandinState
    from slack_standin.uploads import UploadedFile


def get_upload_url(state: StandinState, args: Args) -> dict[str, Any]:
    name = args.need("filename", "invalid_arguments")
    length = args.number("length", 0)
    if length <= 0:
        raise ApiError("invalid_arguments")
    file_id = state.ids.new("F")
    state.uploads.reserve(file_id, name, length)
    return {"upload_url": f"{state.root_url}upload/v1/{file_id}", "file_id": file_id}


def complete_upload(state: StandinState, args: Args) -> dict[str, Any]:
    entries = args.structured("files")
    if not isinstance(entries, list) or not entries:
        raise ApiError("invalid_arguments")
    channel_id = args.text("channel_id") or args.text("channels")
    channel = state.postable_channel(channel_id) if channel_id else None
    files = [state.uploads.complete(str(e.get("id")), e.get("title")) for e in entries]
    shown = [file_json(state, f) for f in files]
    if channel is not None:
        _share(state, channel.id, shown, args)
    return {"files": shown}


def file_json(state: StandinState, uploaded: UploadedFile) -> dict[str, Any]:
    body: dict[str, Any] = {"id": uploaded.id, "created": int(state.now()), "name": uploaded.name}
    body.update({"title": uploaded.title, "mimetype": uploaded.mimetype, "size": uploaded.length})
    body.update({"user": state.workspace.bot_user_id, "mode": "hosted", "is_external": False})
    link = f"{state.workspace.url}files/{state.workspace.bot_user_id}/{uploaded.id}/{uploaded.name}"
    return {**body, "permalink": link, "url_private": link}


def _share(state: StandinState, channel_id: str, files: list[dict[str, Any]], args: Args) -> None:
    """The message Slack posts when files are shared into a channel."""
    content = {"text": args.text("initial_comment") or "", "files": files, "upload": True}
    ts = state.stamps.next()
    message = bot_message(state.workspace.team_id, state.bot_identity(), ts, content)
    if args.text("thread_ts"):
        message["thread_ts"] = args.text("thread_ts")
    state.history.add(channel_id, message)


HANDLERS = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
}
