"""Slack Calls (calls.add …): the Call objects the app registered in this workspace.

Not to be confused with `slack_standin.calls`, the record of Web API calls received.
A Call's `users` are the people in it now; `calls.participants.*` change them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

Participant = dict[str, str]  # {"slack_id": "U…"} or {"external_id": …, "display_name": …}


def participant_key(user: Participant) -> str:
    """Who a participant is: their Slack id, else the provider's external id."""
    return user.get("slack_id") or f"external:{user.get('external_id')}"


@dataclass
class CallObject:
    """One registered Call, as the stand-in keeps it (tests read copies of it).

    `duration` is what calls.end was given (None when it was not); `date_end` is
    `date_start + duration` then, else the time calls.end arrived.
    """

    id: str
    external_unique_id: str
    join_url: str
    created_by: str
    date_start: int
    title: str | None = None
    external_display_id: str | None = None
    desktop_app_join_url: str | None = None
    users: list[Participant] = field(default_factory=list)
    date_end: int | None = None
    duration: int | None = None

    @property
    def ended(self) -> bool:
        return self.date_end is not None

    @property
    def participant_ids(self) -> list[str]:
        """Slack ids, and `external:<id>` for people outside Slack, in joining order."""
        return [participant_key(u) for u in self.users]

    def has(self, user: Participant) -> bool:
        return participant_key(user) in self.participant_ids

    def as_object(self) -> dict[str, Any]:
        """The Call object of calls.add, calls.info and calls.update answers."""
        found: dict[str, Any] = {
            "id": self.id,
            "date_start": self.date_start,
            "external_unique_id": self.external_unique_id,
            "join_url": self.join_url,
            "created_by": self.created_by,
        }
        optional = {
            "desktop_app_join_url": self.desktop_app_join_url,
            "external_display_id": self.external_display_id,
            "title": self.title,
            "date_end": self.date_end,
        }
        found.update({k: v for k, v in optional.items() if v is not None})
        found["users"] = copy.deepcopy(self.users)
        return found


class CallObjects:
    """The workspace's Calls by id; `call_id in calls` is what the call block check asks."""

    def __init__(self) -> None:
        self._calls: dict[str, CallObject] = {}

    def __contains__(self, call_id: object) -> bool:
        return call_id in self._calls

    def add(self, call: CallObject) -> CallObject:
        self._calls[call.id] = call
        return call

    def get(self, call_id: str) -> CallObject | None:
        return self._calls.get(call_id)

    def find_by_external_id(self, external_unique_id: str) -> CallObject | None:
        found = (c for c in self._calls.values() if c.external_unique_id == external_unique_id)
        return next(found, None)

    def snapshot(self, call_id: str) -> CallObject | None:
        """A copy, safe to hand to a test while the server keeps changing the original."""
        found = self._calls.get(call_id)
        return None if found is None else replace(found, users=copy.deepcopy(found.users))

    def all(self) -> list[CallObject]:
        return [c for c in (self.snapshot(i) for i in self._calls) if c is not None]

    def clear(self) -> None:
        self._calls.clear()

    def decorated(self, message: dict[str, Any]) -> dict[str, Any]:
        """A copy of `message` whose call blocks carry their Call as it is now.

        slack_sdk's CallBlock reads such a block as `call` (a Call object per API version,
        here `v1`) and `api_decoration_available`; the renderer shows it from there.
        """
        shown = copy.deepcopy(message)
        for block in shown.get("blocks") or []:
            found = self._calls.get(str(block.get("call_id"))) if _is_call(block) else None
            if found is not None:
                block["api_decoration_available"] = False
                block["call"] = {"v1": found.as_object()}
        return shown


def _is_call(block: Any) -> bool:
    return isinstance(block, dict) and block.get("type") == "call"
