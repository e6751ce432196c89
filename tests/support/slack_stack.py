"""Test support for the whole app offline: the real Bolt app fed signed requests, the Slack
stand-in, the ACS emulator over loopback through the real SDK clients, and a real database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from acs_emulator import RunningEmulator
from bot.adapters.acs import RetrySettings, make_acs_gateways
from bot.app import build_services
from bot.config import Settings
from bot.console.session import ConsoleSession
from bot.services.container import Services
from slack_standin import RunningStandin

FAST_RETRY = RetrySettings(total=2, backoff_factor_s=0.01, backoff_max_s=0.02, connect_timeout_s=1)


def make_services(engine: Engine, emulator: RunningEmulator, **settings: Any) -> Services:
    config = Settings(_env_file=None, **settings)  # type: ignore[call-arg]
    gateways = make_acs_gateways(
        connection_string=emulator.connection_string, retry=FAST_RETRY, timeout_s=10.0
    )
    services = build_services(config, engine=engine, gateways=gateways)
    services.closers.extend(gateway.close for gateway in gateways)
    return services


@dataclass
class Stack:
    session: ConsoleSession
    standin: RunningStandin
    services: Services
    emulator: RunningEmulator

    def as_user(self, name: str) -> Stack:
        self.session.user = self.standin.workspace.user(name).id
        return self

    def run(self, text: str, *, user: str = "ana", channel: str = "general") -> Any:
        """Type a command as `user` in `channel`; returns Bolt's immediate answer."""
        self.as_user(user)
        self.session.channel = self.standin.workspace.channel(channel).id
        command, _, rest = text.partition(" ")
        response = self.session.slack.command(
            user_id=self.session.user,
            channel_id=self.session.channel,
            text=rest,
            command=command,
            response_url=self.standin.new_response_url(self.session.channel, self.session.user),
            trigger_id=self.standin.new_trigger_id(self.session.user),
        )
        self.session.settle()
        return response

    def press(self, label: str, room: int | None = None, *, user: str = "ana") -> None:
        self.as_user(user)
        self.session.press(f"{label} #{room}" if room else label)
        self.session.settle()

    def submit(self, fields: str, *, user: str = "ana") -> None:
        self.as_user(user)
        self.session.submit(fields)
        self.session.settle()

    def message_shortcut(self, message: dict[str, Any], *, user: str = "ana") -> None:
        """Use "Create room from message" on `message` (as the stand-in holds it) in #general."""
        user_id, channel_id = self.standin.workspace.user(user).id, "C0GENERAL"
        self.session.slack.shortcut(
            user_id=user_id,
            callback_id="create_room_from_message",
            message=message,
            channel_id=channel_id,
            trigger_id=self.standin.new_trigger_id(user),
            response_url=self.standin.new_response_url(channel_id, user_id),
        )
        self.session.settle()

    def replies(self, user: str = "ana") -> list[str]:
        """Everything RoomBot told `user` privately, oldest first, as plain text."""
        return [str(m.get("text", "")) for m in self.standin.ephemerals(user)]

    def last_reply(self, user: str = "ana") -> str:
        replies = self.replies(user)
        assert replies, "RoomBot replied nothing"
        return replies[-1]

    def channel_messages(self, channel: str = "general") -> list[dict[str, Any]]:
        return self.standin.messages(channel)
