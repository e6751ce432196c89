"""The Slack workspace the stand-in serves, as plain mutable data.

Tests tweak it freely (archive a channel, drop a member, change a time zone); the server
reads it on every call, so a change shows up in the next response.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

_T = TypeVar("_T")


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str | None = "America/Los_Angeles"
    tz_label: str = "Pacific Standard Time"
    tz_offset: int = -28800
    email: str | None = None
    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False
    deleted: bool = False
    is_bot: bool = False
    bot_id: str | None = None


@dataclass
class Channel:
    id: str
    name: str
    members: list[str] = field(default_factory=list)
    is_private: bool = False
    is_archived: bool = False
    is_general: bool = False
    is_im: bool = False
    im_user: str | None = None
    created: int = 1690000000
    topic: str = ""
    purpose: str = ""


@dataclass
class UserGroup:
    id: str
    handle: str
    name: str
    users: list[str] = field(default_factory=list)


@dataclass
class Workspace:
    team_id: str
    team_name: str
    domain: str
    bot_user_id: str
    bot_id: str
    app_id: str
    enterprise_id: str = ""
    enterprise_name: str = ""
    scopes: list[str] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    usergroups: dict[str, UserGroup] = field(default_factory=dict)
    # The app's manifest parts Slack acts on: `features.unfurl_domains` (links to these hosts or
    # their subdomains reach the app as link_shared) and `functions` (callback_id → title,
    # description, input_parameters, output_parameters: the custom steps it may run).
    unfurl_domains: list[str] = field(default_factory=list)
    functions: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"https://{self.domain}.slack.com/"

    def user(self, id_or_name: str) -> User:
        """A user by id (`U06ANA1001`) or name (`ana`); KeyError when there is none."""
        return _lookup(self.users, id_or_name, lambda u: u.name, "user")

    def channel(self, id_or_name: str) -> Channel:
        """A channel by id or name (with or without `#`); KeyError when there is none."""
        return _lookup(self.channels, id_or_name.lstrip("#"), lambda c: c.name, "channel")

    def usergroup(self, id_or_handle: str) -> UserGroup:
        """A user group by id or handle (with or without `@`); KeyError when there is none."""
        return _lookup(self.usergroups, id_or_handle.lstrip("@"), lambda g: g.handle, "usergroup")

    def withhold_scopes(self, *scopes: str) -> Workspace:
        """Take scopes back, as an install that never granted them; returns the workspace.

        `start_slack_standin(demo_workspace().withhold_scopes("calls:write"))`, or on a
        running stand-in `standin.workspace.withhold_scopes(...)`. Unknown names are ignored.
        """
        self.scopes[:] = [s for s in self.scopes if s not in scopes]
        return self

    def adopt_manifest(self, manifest: Mapping[str, Any]) -> Workspace:
        """Take the unfurl domains and functions of a parsed manifest.yml; returns the workspace."""
        self.unfurl_domains[:] = (manifest.get("features") or {}).get("unfurl_domains") or []
        self.functions.clear()
        self.functions.update(manifest.get("functions") or {})
        return self

    def humans(self) -> list[User]:
        """Active people: what a roster picker would offer."""
        return [u for u in self.users.values() if not u.is_bot and not u.deleted]

    def open_dm(self, user_id: str) -> Channel:
        """The bot's DM with a user, created on first use like Slack does."""
        dm_id = "D" + user_id[1:]
        if dm_id not in self.channels:
            members = [user_id, self.bot_user_id]
            dm = Channel(dm_id, dm_id, members, is_private=True, is_im=True, im_user=user_id)
            self.channels[dm_id] = dm
        return self.channels[dm_id]

    def display_name(self, object_id: str) -> str:
        """The name shown for a user, channel or user group id; the id itself when unknown.

        Pass this as `names=` to the renderer.
        """
        for table, name_of in _NAMERS:
            found = getattr(self, table).get(object_id)
            if found is not None:
                return name_of(found)
        return object_id


_NAMERS: tuple[tuple[str, Callable[[Any], str]], ...] = (
    ("users", lambda u: u.name),
    ("channels", lambda c: c.name),
    ("usergroups", lambda g: g.handle),
)


def _lookup(table: dict[str, _T], key: str, name_of: Callable[[_T], str], kind: str) -> _T:
    if key in table:
        return table[key]
    for item in table.values():
        if name_of(item) == key:
            return item
    raise KeyError(f"no {kind} {key!r} in the workspace")


# The demo data: ids look like Slack's so code that checks prefixes (U/B/C/D/S/T) sees real shapes.
ROOMBOT_USER_ID = "U06RMB1000"
# The bot scopes of manifest.yml (tests/slack_standin/test_workspace.py keeps them equal).
_SCOPES = (
    "calls:read,calls:write,channels:read,chat:write,chat:write.public,commands,files:write,groups:read,im:write,"
    "links:read,links:write,usergroups:read,users:read"
)

# manifest.yml's features.unfurl_domains (test_workspace.py keeps them equal too).
_UNFURL_DOMAIN = "roombot.example.com"

# id, name, real name, zone, zone label, offset: standard time (Slack sends the current one).
_PEOPLE = (
    ("U06ANA1001", "ana", "Ana Alves", "America/New_York", "Eastern Standard Time", -18000),
    ("U06BEN1002", "ben", "Ben Becker", "Europe/Berlin", "Central European Time", 3600),
    ("U06CHO1003", "cho", "Cho Tanaka", "Asia/Tokyo", "Japan Standard Time", 32400),
    ("U06DEV1004", "dev", "Dev Patel", "America/Los_Angeles", "Pacific Standard Time", -28800),
    ("U06EVE1005", "eve", "Eve Evans", "Europe/London", "Greenwich Mean Time", 0),
    ("U06OLD1006", "old", "Olaf Oldham", "America/Chicago", "Central Standard Time", -21600),
)


def _demo_users() -> list[User]:
    people = {row[1]: User(*row, email=f"{row[1]}@demo.example") for row in _PEOPLE}
    people["ana"].is_admin = True  # the one workspace admin
    people["old"].deleted = True  # deactivated: still resolvable, never invitable
    helper = User("U06HLP1007", "helperbot", "Helper Bot", is_bot=True, bot_id="B06HLP1007")
    roombot = User(ROOMBOT_USER_ID, "roombot", "RoomBot", is_bot=True, bot_id="B06RMB1000")
    return [*people.values(), helper, roombot]


def _demo_channels(humans: list[str]) -> list[Channel]:
    design = ["U06ANA1001", "U06BEN1002", "U06CHO1003", ROOMBOT_USER_ID]
    return [
        Channel("C0GENERAL", "general", list(humans), is_general=True, purpose="Everyone"),
        Channel("C0DESIGN", "design", design, purpose="Design reviews and critiques"),
        Channel("C0LEADS", "leadership", ["U06ANA1001", "U06EVE1005"], is_private=True),
        Channel("C0OLDPROJ", "old-project", ["U06ANA1001", ROOMBOT_USER_ID], is_archived=True),
    ]


def demo_workspace() -> Workspace:
    """A fresh, independent copy of the demo workspace `Demo Co` (`T0DEMO`)."""
    users = _demo_users()
    humans = [u.id for u in users if not u.is_bot and not u.deleted]
    design = UserGroup("S0DESIGN", "design", "Design team", humans[:3])
    return Workspace(
        team_id="T0DEMO",
        team_name="Demo Co",
        domain="democo",
        bot_user_id=ROOMBOT_USER_ID,
        bot_id="B06RMB1000",
        app_id="A06RMB1000",
        scopes=_SCOPES.split(","),
        users={u.id: u for u in users},
        channels={c.id: c for c in _demo_channels(humans)},
        usergroups={design.id: design},
        unfurl_domains=[_UNFURL_DOMAIN],
    )
