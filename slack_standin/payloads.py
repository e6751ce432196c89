"""The requests Slack sends an app, in the shapes Slack documents.

Slash commands ("Enabling interactivity with Slash commands"), interaction payloads
("Reference: interaction payloads": `block_actions`, `view_submission`, `shortcut`,
`message_action`) and Events API envelopes ("Events API: callback field overview"), with the
fields bolt-python's own scenario tests use. A `Workspace`, when given, supplies the names
Slack sends beside the ids (user name, channel name, team domain).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from slack_standin.workspace import Workspace

Json = dict[str, Any]
APP_ID = "A0ROOMBOT"
# Slack still sends the deprecated verification token in every payload; Bolt ignores it.
VERIFICATION_TOKEN = "unverified-legacy-token"  # noqa: S105


@dataclass(frozen=True)
class Sender:
    """The workspace side of every request: who, where, and the names Slack shows."""

    team_id: str
    enterprise_id: str = ""
    workspace: Workspace | None = None

    @property
    def domain(self) -> str:
        return self.workspace.domain if self.workspace else self.team_id.lower()

    @property
    def app_id(self) -> str:
        return self.workspace.app_id if self.workspace else APP_ID

    def user_name(self, user_id: str) -> str:
        found = self.workspace.users.get(user_id) if self.workspace else None
        return found.name if found else user_id.lower()

    def channel_name(self, channel_id: str | None) -> str:
        found = self.workspace.channels.get(channel_id or "") if self.workspace else None
        if found is not None:
            return "directmessage" if found.is_im else found.name
        return "directmessage" if (channel_id or "").startswith("D") else "unknown"

    def team(self) -> Json:
        return {"id": self.team_id, "domain": self.domain}

    def enterprise(self) -> Json | None:
        if not self.enterprise_id:
            return None
        name = self.workspace.enterprise_name if self.workspace else ""
        return {"id": self.enterprise_id, "name": name}

    def user(self, user_id: str) -> Json:
        name = self.user_name(user_id)
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def channel(self, channel_id: str) -> Json:
        return {"id": channel_id, "name": self.channel_name(channel_id)}


def command_form(
    sender: Sender, *, user_id: str, channel_id: str, command: str, text: str, urls: Json
) -> dict[str, str]:
    """A slash command's form fields; `urls` holds `response_url` and `trigger_id`."""
    form = {"token": VERIFICATION_TOKEN, "team_id": sender.team_id}
    form["team_domain"] = sender.domain
    if sender.enterprise_id:
        form["enterprise_id"] = sender.enterprise_id
        form["enterprise_name"] = sender.enterprise()["name"]  # type: ignore[index]
    form |= {"channel_id": channel_id, "channel_name": sender.channel_name(channel_id)}
    form |= {"user_id": user_id, "user_name": sender.user_name(user_id)}
    form |= {"command": command, "text": text, "api_app_id": sender.app_id}
    form["is_enterprise_install"] = "false"
    return form | {k: str(v) for k, v in urls.items()}


def interaction(sender: Sender, kind: str, user_id: str, **fields: Any) -> Json:
    """The fields every interaction payload carries, then the ones of its kind."""
    return {
        "type": kind,
        "team": sender.team(),
        "user": sender.user(user_id),
        "api_app_id": sender.app_id,
        "token": VERIFICATION_TOKEN,
        "enterprise": sender.enterprise(),
        "is_enterprise_install": False,
        **fields,
    }


def pressed_action(action: Json, action_ts: str) -> Json:
    """A clicked element as Slack reports it: its type, ids, text and value, and when."""
    pressed: Json = {k: action[k] for k in ("type", "action_id", "text", "value") if k in action}
    for key in ("url", "style"):
        if key in action:
            pressed[key] = action[key]
    pressed["block_id"] = action.get("block_id", "unknown")
    pressed["action_ts"] = action_ts
    return pressed


def event_envelope(sender: Sender, event: Json, *, event_id: str, event_time: int) -> Json:
    """An Events API `event_callback` as Slack delivers it over HTTP."""
    bot_user = sender.workspace.bot_user_id if sender.workspace else None
    authorization = {
        "enterprise_id": sender.enterprise_id or None,
        "team_id": sender.team_id,
        "user_id": bot_user,
        "is_bot": True,
        "is_enterprise_install": False,
    }
    envelope: Json = {"token": VERIFICATION_TOKEN, "team_id": sender.team_id}
    if sender.enterprise_id:
        envelope["enterprise_id"] = sender.enterprise_id
    envelope |= {"api_app_id": sender.app_id, "event": {"event_ts": f"{event_time}.000100"}}
    envelope["event"] |= event
    envelope |= {"type": "event_callback", "event_id": event_id, "event_time": event_time}
    envelope |= {"authorizations": [authorization], "is_ext_shared_channel": False}
    envelope["event_context"] = f"4-{event_id.lower()}"
    return envelope
