"""What the Slack edge answers to: the manifest must declare exactly these (a test checks)."""

from __future__ import annotations

from typing import Final

from bot.blocks import ids

SLASH_COMMAND: Final = "/room"
GLOBAL_SHORTCUTS: Final = (ids.CREATE_ROOM_SHORTCUT,)
MESSAGE_SHORTCUTS: Final = (ids.CREATE_ROOM_FROM_MESSAGE,)
EVENTS: Final = ("app_home_opened", "app_uninstalled", "tokens_revoked", "link_shared")
# Workflow Builder steps (the manifest's `functions`, Bolt's app.function listeners).
FUNCTIONS: Final = ("create_room", "invite_to_room", "extend_room", "delete_room")
# The bot scopes asked for at install (OAuth) and declared in the manifest.
BOT_SCOPES: Final = (
    "chat:write",
    "chat:write.public",
    "commands",
    "users:read",
    "usergroups:read",
    "channels:read",
    "groups:read",
    "im:write",
    "files:write",
    "calls:write",  # the room's call shown live in Slack (calls.add, calls.participants.*)
    "calls:read",  # calls.info, which Slack's Calls guide asks for beside calls:write
    "links:read",  # link_shared for join links on the manifest's unfurl_domains
    "links:write",  # chat.unfurl: a room's card under its join link
)
