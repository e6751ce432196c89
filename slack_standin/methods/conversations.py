"""conversations.*: channel facts, members (paged) and the bot's DMs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.paging import page
from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from slack_standin.state import StandinState
    from slack_standin.workspace import Channel, Workspace


def channel_json(workspace: Workspace, channel: Channel) -> dict[str, Any]:
    body: dict[str, Any] = {"id": channel.id, "created": channel.created}
    body.update(
        {"is_archived": channel.is_archived, "is_im": channel.is_im, "is_org_shared": False}
    )
    body["context_team_id"] = workspace.team_id
    if channel.is_im:
        return {**body, "user": channel.im_user, "is_user_deleted": False}
    body.update({"name": channel.name, "name_normalized": channel.name, "is_channel": True})
    body.update({"is_group": False, "is_mpim": False, "is_private": channel.is_private})
    body.update({"is_general": channel.is_general, "is_shared": False, "is_ext_shared": False})
    body["is_member"] = workspace.bot_user_id in channel.members
    body["topic"] = {"value": channel.topic, "creator": "", "last_set": 0}
    body["purpose"] = {"value": channel.purpose, "creator": "", "last_set": 0}
    return body


def info(state: StandinState, args: Args) -> dict[str, Any]:
    channel = state.visible_channel(args.text("channel"))
    body = channel_json(state.workspace, channel)
    if args.flag("include_num_members"):
        body["num_members"] = len(channel.members)
    return {"channel": body}


def members(state: StandinState, args: Args) -> dict[str, Any]:
    channel = state.visible_channel(args.text("channel"))
    chunk, metadata = page(channel.members, args, default_limit=100)
    return {"members": chunk, "response_metadata": metadata}


def open_dm(state: StandinState, args: Args) -> dict[str, Any]:
    user_ids = args.id_list("users")
    if args.text("channel"):
        return {"channel": {"id": state.visible_channel(args.text("channel")).id}}
    if len(user_ids) != 1:
        raise ApiError("users_list_not_supplied" if not user_ids else "not_supported")
    user = state.user(user_ids[0])
    if user.deleted:
        raise ApiError("user_disabled")
    dm = state.workspace.open_dm(user.id)
    if args.flag("return_im"):
        return {"channel": channel_json(state.workspace, dm)}
    return {"channel": {"id": dm.id}}


HANDLERS = {
    "conversations.info": info,
    "conversations.members": members,
    "conversations.open": open_dm,
}
