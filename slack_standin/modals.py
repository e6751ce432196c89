"""Trigger ids and views: modal stacks per user and one App Home per user."""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_standin.checks.views import view_problems
from slack_standin.wire import ApiError

if TYPE_CHECKING:
    from slack_standin.ids import IdMaker
    from slack_standin.workspace import Workspace

View = dict[str, Any]
TRIGGER_LIFETIME = 3.0  # seconds; Slack's documented limit
MAX_STACK = 3  # modal views a user can have stacked


@dataclass
class _Trigger:
    user_id: str
    issued: float
    used: bool = False


class Triggers:
    """Single-use trigger ids that expire `TRIGGER_LIFETIME` seconds after issue."""

    def __init__(self, team_number: int) -> None:
        self._issued: dict[str, _Trigger] = {}
        self._team_number = team_number

    def issue(self, user_id: str, now: float) -> str:
        trigger_id = f"{int(now)}{len(self._issued)}.{self._team_number}.{secrets.token_hex(16)}"
        self._issued[trigger_id] = _Trigger(user_id, now)
        return trigger_id

    def redeem(self, trigger_id: str, now: float) -> str:
        """The user the trigger belongs to; it can never be used again."""
        trigger = self._issued.get(trigger_id)
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.used:
            raise ApiError("exchanged_trigger_id")
        if now - trigger.issued >= TRIGGER_LIFETIME:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger.user_id


class ViewStore:
    """Every live view by id; modal stacks per user; one home tab per user."""

    def __init__(self, workspace: Workspace, ids: IdMaker) -> None:
        self._workspace = workspace
        self._ids = ids
        self._views: dict[str, View] = {}
        self._stacks: dict[str, list[str]] = {}
        self._homes: dict[str, str] = {}

    def open(self, user_id: str, payload: Any, now: float) -> View:
        view = self._create(check_view(payload, "modal"), now, previous=None)
        self._close_stack(user_id)  # a new modal from a fresh trigger replaces whatever was open
        self._stacks[user_id] = [view["id"]]
        return view

    def push(self, user_id: str, payload: Any, now: float) -> View:
        stack = self._stacks.get(user_id)
        if not stack:
            raise ApiError("not_found")
        if len(stack) >= MAX_STACK:
            raise ApiError("push_limit_reached")
        view = self._create(check_view(payload, "modal"), now, previous=self._views[stack[-1]])
        stack.append(view["id"])
        return view

    def update(self, key: str, payload: Any, expected_hash: str | None, now: float) -> View:
        current = self._find(key)
        if expected_hash and expected_hash != current["hash"]:
            raise ApiError("hash_conflict")
        return self._replace(current, check_view(payload, str(current["type"])), now)

    def publish(self, user_id: str, payload: Any, expected_hash: str | None, now: float) -> View:
        home_id = self._homes.get(user_id)
        if home_id is None:
            view = self._create(check_view(payload, "home"), now, previous=None)
            self._homes[user_id] = view["id"]
            return view
        return self.update(home_id, payload, expected_hash, now)

    def modals(self) -> dict[str, View]:
        stacked = {vid for stack in self._stacks.values() for vid in stack}
        return {vid: copy.deepcopy(self._views[vid]) for vid in stacked}

    def stack(self, user_id: str) -> list[View]:
        return [copy.deepcopy(self._views[vid]) for vid in self._stacks.get(user_id, [])]

    def home(self, user_id: str) -> View | None:
        home_id = self._homes.get(user_id)
        return None if home_id is None else copy.deepcopy(self._views[home_id])

    def close(self, user_id: str) -> None:
        self._close_stack(user_id)

    def clear(self) -> None:
        self._views.clear()
        self._stacks.clear()
        self._homes.clear()

    def _find(self, key: str) -> View:
        if key in self._views:
            return self._views[key]
        for view in self._views.values():
            if view.get("external_id") == key:
                return view
        raise ApiError("not_found")

    def _create(self, payload: View, now: float, previous: View | None) -> View:
        self._reject_duplicate_external_id(payload)
        view_id = self._ids.new("V")
        root = previous["root_view_id"] if previous else view_id
        view = self._stamp(payload, now, view_id, root)
        view["previous_view_id"] = previous["id"] if previous else None
        self._views[view_id] = view
        return copy.deepcopy(view)

    def _replace(self, current: View, payload: View, now: float) -> View:
        if payload.get("external_id") != current.get("external_id"):
            self._reject_duplicate_external_id(payload)
        view = self._stamp(payload, now, current["id"], current["root_view_id"])
        view["previous_view_id"] = current.get("previous_view_id")
        self._views[current["id"]] = view
        return copy.deepcopy(view)

    def _stamp(self, payload: View, now: float, view_id: str, root_id: str) -> View:
        ws = self._workspace
        view: View = {"private_metadata": "", "callback_id": "", "external_id": ""}
        view.update({"state": {"values": {}}, "clear_on_close": False, "notify_on_close": False})
        view.update(copy.deepcopy(payload))
        view.update(
            {"id": view_id, "team_id": ws.team_id, "app_id": ws.app_id, "bot_id": ws.bot_id}
        )
        view.update({"app_installed_team_id": ws.team_id, "root_view_id": root_id})
        view["hash"] = f"{int(now)}.{self._ids.new('H')[2:].lower()}"
        return view

    def _reject_duplicate_external_id(self, payload: View) -> None:
        external_id = payload.get("external_id")
        if external_id and any(v.get("external_id") == external_id for v in self._views.values()):
            raise ApiError("duplicate_external_id")

    def _close_stack(self, user_id: str) -> None:
        for view_id in self._stacks.pop(user_id, []):
            self._views.pop(view_id, None)


def check_view(payload: Any, view_type: str) -> View:
    """Slack's own checks on a view payload, answered with its `invalid_arguments`."""
    reasons = view_problems(payload, view_type)
    if reasons:
        raise ApiError("invalid_arguments", messages=reasons)
    return dict(payload)
