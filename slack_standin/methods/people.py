"""users.* and usergroups.*: who is in the workspace, with time zones and roles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.paging import page
from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from slack_standin.state import StandinState
    from slack_standin.workspace import User, Workspace


def user_json(workspace: Workspace, user: User) -> dict[str, Any]:
    """A user object with the fields apps read: roles, state, time zone, e-mail."""
    body: dict[str, Any] = {"id": user.id, "team_id": workspace.team_id, "name": user.name}
    body.update({"deleted": user.deleted, "color": "4bbe2e", "real_name": user.real_name})
    if user.tz is not None:  # Slack leaves the zone out for some accounts; callers must cope
        body.update({"tz": user.tz, "tz_label": user.tz_label, "tz_offset": user.tz_offset})
    body.update({"is_admin": user.is_admin, "is_owner": user.is_owner})
    body.update({"is_primary_owner": user.is_primary_owner, "is_restricted": False})
    body.update({"is_ultra_restricted": False, "is_bot": user.is_bot, "is_app_user": False})
    body.update({"updated": 1700000000, "profile": _profile(workspace, user)})
    return body


def _profile(workspace: Workspace, user: User) -> dict[str, Any]:
    profile: dict[str, Any] = {"real_name": user.real_name, "display_name": user.name}
    profile.update({"real_name_normalized": user.real_name, "display_name_normalized": user.name})
    profile.update(
        {"team": workspace.team_id, "image_48": f"https://avatars.example/{user.id}.png"}
    )
    if user.email is not None and "users:read.email" in workspace.scopes:
        profile["email"] = user.email  # Slack shows e-mail only to apps granted this scope
    if user.bot_id is not None:
        profile["bot_id"] = user.bot_id
    return profile


def info(state: StandinState, args: Args) -> dict[str, Any]:
    user = state.user(args.text("user"))
    return {"user": user_json(state.workspace, user)}


def list_users(state: StandinState, args: Args) -> dict[str, Any]:
    ws = state.workspace
    members, metadata = page(list(ws.users.values()), args, default_limit=200)
    body: dict[str, Any] = {"members": [user_json(ws, u) for u in members]}
    return {**body, "cache_ts": int(state.now()), "response_metadata": metadata}


def usergroup_users(state: StandinState, args: Args) -> dict[str, Any]:
    group = state.workspace.usergroups.get(args.text("usergroup") or "")
    if group is None:
        raise ApiError("no_such_subteam")
    return {"users": list(group.users)}


HANDLERS = {
    "users.info": info,
    "users.list": list_users,
    "usergroups.users.list": usergroup_users,
}
