"""Everything the stand-in remembers, behind one lock that every handler holds."""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slack_standin.executions import Executions
from slack_standin.ids import Clock, IdMaker, TsSource
from slack_standin.messages import ChannelHistory, Ephemerals
from slack_standin.modals import Triggers, ViewStore
from slack_standin.responses import ResponseUrls
from slack_standin.signin.grants import SignIns
from slack_standin.slack_calls_state import CallObjects
from slack_standin.unfurls import Unfurls
from slack_standin.uploads import Uploads
from slack_standin.wire import ApiError

if TYPE_CHECKING:
    from slack_standin.tokens import Tokens
    from slack_standin.workspace import Channel, User, Workspace


@dataclass
class StandinState:
    workspace: Workspace
    clock: Clock
    tokens: Tokens
    root_url: str = ""  # "http://127.0.0.1:PORT/", known once the socket is bound
    ids: IdMaker = field(default_factory=IdMaker)
    lock: threading.RLock = field(default_factory=threading.RLock)
    history: ChannelHistory = field(default_factory=ChannelHistory)
    ephemerals: Ephemerals = field(default_factory=Ephemerals)
    responses: ResponseUrls = field(default_factory=ResponseUrls)
    uploads: Uploads = field(default_factory=Uploads)
    signins: SignIns = field(default_factory=SignIns)
    slack_calls: CallObjects = field(default_factory=CallObjects)  # calls.add's Calls
    executions: Executions = field(default_factory=Executions)  # custom steps run
    unfurls: Unfurls = field(default_factory=Unfurls)  # links shared with the app, unfurls

    def __post_init__(self) -> None:
        self.stamps = TsSource(self.clock)
        self.triggers = Triggers(team_number=zlib.crc32(self.workspace.team_id.encode()))
        self.views = ViewStore(self.workspace, self.ids)

    def now(self) -> float:
        return self.clock()

    def bot_identity(self) -> dict[str, str]:
        ws = self.workspace
        return {"user_id": ws.bot_user_id, "bot_id": ws.bot_id, "app_id": ws.app_id}

    def user(self, user_id: str | None) -> User:
        found = self.workspace.users.get(user_id or "")
        if found is None:
            raise ApiError("user_not_found")
        return found

    def visible_channel(self, channel_id: str | None) -> Channel:
        """A channel the bot can see: public ones, and private ones it is a member of.

        A user id stands for the bot's DM with that user, as in chat.postMessage.
        """
        ws = self.workspace
        if channel_id in ws.users:
            return ws.open_dm(channel_id)
        found = ws.channels.get(channel_id or "")
        if found is None or (found.is_private and ws.bot_user_id not in found.members):
            raise ApiError("channel_not_found")
        return found

    def postable_channel(self, channel_id: str | None) -> Channel:
        """A channel the bot may post in, with the errors Slack gives when it may not."""
        ws = self.workspace
        found = ws.channels.get(channel_id or "") if channel_id not in ws.users else None
        if found is None:
            return self.visible_channel(channel_id)
        if found.is_archived:
            raise ApiError("is_archived")
        if ws.bot_user_id in found.members:
            return found
        if found.is_private or "chat:write.public" not in ws.scopes:
            raise ApiError("not_in_channel")
        return found

    def permalink(self, channel_id: str, ts: str, thread_ts: str | None) -> str:
        link = f"{self.workspace.url}archives/{channel_id}/p{ts.replace('.', '')}"
        if thread_ts and thread_ts != ts:
            link += f"?thread_ts={thread_ts}&cid={channel_id}"
        return link
