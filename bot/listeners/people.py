"""Turning typed people (mentions, names, user groups, channels) into Slack user ids.

Explicit mentions that can't be invited (bots, deactivated users, users the app can't see)
are named in the reply; bots met while expanding a group or channel are skipped quietly,
since every channel holds a bot or two and nobody meant to invite them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.grammar.typed_commands import ChannelRef, PersonRef, UserGroupRef, UserNameRef, UserRef

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from slack_sdk import WebClient

    from bot.listeners.directory import SlackUser, UserDirectory
    from bot.services.domain import Role

MAX_PEOPLE = 350


@dataclass
class Resolved:
    user_ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, user_id: str) -> None:
        if user_id not in self.user_ids:
            self.user_ids.append(user_id)


class PeopleResolver:
    def __init__(self, client: WebClient, users: UserDirectory, team_id: str) -> None:
        self._client = client
        self._users = users
        self._team_id = team_id

    def resolve(self, refs: Iterable[PersonRef]) -> Resolved:
        resolved = Resolved()
        for ref in refs:
            for user_id, explicit in self._expand(ref, resolved):
                self._admit(user_id, explicit=explicit, into=resolved)
        if len(resolved.user_ids) > MAX_PEOPLE:
            resolved.problems.append(
                f"That is more than {MAX_PEOPLE} people; a room can't hold them."
            )
            resolved.user_ids = []
        return resolved

    def resolve_roles(
        self, people: Iterable[tuple[Role, PersonRef]]
    ) -> tuple[dict[str, Role], list[str]]:
        """Each person with the role named last for them, and what could not be resolved."""
        pairs = list(people)
        roles: dict[str, Role] = {}
        problems: list[str] = []
        for role, ref in pairs:
            resolved = self.resolve([ref])
            roles.update(dict.fromkeys(resolved.user_ids, role))
            problems += [p for p in resolved.problems if p not in problems]
        if len(roles) > MAX_PEOPLE:
            return {}, [f"That is more than {MAX_PEOPLE} people; a room can't hold them."]
        return roles, problems

    def _expand(self, ref: PersonRef, resolved: Resolved) -> Iterator[tuple[str, bool]]:
        try:
            if isinstance(ref, UserRef):
                yield ref.user_id, True
            elif isinstance(ref, UserNameRef):
                yield from self._by_name(ref.name, resolved)
            elif isinstance(ref, UserGroupRef):
                response = self._client.usergroups_users_list(usergroup=ref.group_id)
                members: list[str] = response.get("users", [])
                yield from ((u, False) for u in members)
            elif isinstance(ref, ChannelRef):
                yield from ((u, False) for u in self._channel_members(ref.channel_id))
        except SlackApiError as exc:
            resolved.problems.append(
                f"I couldn't read {_describe(ref)} ({exc.response.get('error')})."
            )

    def _by_name(self, name: str, resolved: Resolved) -> Iterator[tuple[str, bool]]:
        wanted = name.lower().lstrip("@")
        for page in self._client.users_list(limit=200):
            for user in page.get("members", []):
                names = {str(user.get("name", "")).lower(), _display(user).lower()}
                if wanted in names:
                    yield str(user["id"]), True
                    return
        resolved.problems.append(f"I don't know anyone called @{name}.")

    def _channel_members(self, channel_id: str) -> Iterator[str]:
        for page in self._client.conversations_members(channel=channel_id, limit=200):
            yield from page.get("members", [])

    def _admit(self, user_id: str, *, explicit: bool, into: Resolved) -> None:
        user = self._users.lookup(self._client, self._team_id, user_id)
        problem = _why_not(user, user_id)
        if problem is None:
            into.add(user_id)
        elif explicit and problem not in into.problems:
            into.problems.append(problem)


def _why_not(user: SlackUser | None, user_id: str) -> str | None:
    if user is None:
        return f"I can't see <@{user_id}>, so I left them out."
    if user.is_bot:
        return f"<@{user_id}> is a bot, so I left them out."
    if user.deleted:
        return f"<@{user_id}> is deactivated, so I left them out."
    return None


def _display(user: dict[str, object]) -> str:
    profile = user.get("profile")
    return str(profile.get("display_name", "")) if isinstance(profile, dict) else ""


def _describe(ref: PersonRef) -> str:
    if isinstance(ref, UserGroupRef):
        return f"<!subteam^{ref.group_id}>"
    if isinstance(ref, ChannelRef):
        return f"<#{ref.channel_id}>"
    return "that person"
