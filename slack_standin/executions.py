"""Custom steps (Workflow Builder functions) as Slack runs them: executions, tokens, outcomes.

Each `function_executed` event carries a function token (`xwfp-…`, the event's
`bot_access_token`) that acts for the app with its bot scopes. A Slack maintainer on
slackapi/bolt-python#1075: these tokens "expire 15 mins after being issued OR are revoked when
the step is completed"; a call with one then answers `token_revoked` (the error reported in
slackapi/bolt-js#2288 and slackapi/deno-slack-sdk#284), and the stand-in answers so in both cases.

The function definition in the event comes from the app's manifest (`Workspace.functions`):
parameters in Slack's documented `{"properties": {...}, "required": [...]}` form, a flat
mapping name → parameter with `is_required`, or already the event's list all read the same.
"""

from __future__ import annotations

import copy
import secrets
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from slack_standin.wire import ApiError

if TYPE_CHECKING:
    from collections.abc import Mapping

Json = dict[str, Any]
TOKEN_LIFETIME: Final = 15 * 60  # seconds
_DEFINED: Final = 1_690_000_000  # when the stand-in says the app's functions were created
_PARAMETER_FIELDS: Final = ("type", "name", "description", "title")


@dataclass
class Execution:
    id: str
    workflow_execution_id: str
    function: Json  # the definition, as the event carries it
    inputs: Json
    user_id: str  # who ran the workflow
    token: str
    started: float
    outcome: Json | None = None  # {"outputs": {...}} or {"error": "..."} once completed

    @property
    def callback_id(self) -> str:
        return str(self.function["callback_id"])

    def event(self) -> Json:
        """The `function_executed` event (Slack's event reference; bolt-python's own tests)."""
        return {
            "type": "function_executed",
            "function": copy.deepcopy(self.function),
            "inputs": copy.deepcopy(self.inputs),
            "function_execution_id": self.id,
            "workflow_execution_id": self.workflow_execution_id,
            "bot_access_token": self.token,
        }

    def record(self) -> Json:
        fields = ("id", "workflow_execution_id", "callback_id", "inputs", "user_id", "outcome")
        return copy.deepcopy({name: getattr(self, name) for name in fields})


class Executions:
    """Every execution the stand-in started, by id and by its function token."""

    def __init__(self) -> None:
        self._by_id: dict[str, Execution] = {}
        self._by_token: dict[str, Execution] = {}

    def start(self, execution: Execution) -> Execution:
        self._by_id[execution.id] = execution
        self._by_token[execution.token] = execution
        return execution

    def get(self, execution_id: str | None) -> Execution | None:
        return self._by_id.get(execution_id or "")

    def of_token(self, token: str | None) -> Execution | None:
        return self._by_token.get(token or "")

    def token_allows(self, token: str, now: float) -> bool:
        """Whether `token` is a live function token; `token_revoked` once it no longer is."""
        execution = self._by_token.get(token)
        if execution is None:
            return False
        if execution.outcome is not None or now - execution.started > TOKEN_LIFETIME:
            raise ApiError("token_revoked")
        return True

    def complete(self, execution: Execution, outcome: Json) -> None:
        execution.outcome = copy.deepcopy(outcome)

    def records(self) -> list[Json]:
        return [e.record() for e in self._by_id.values()]

    def clear(self) -> None:
        self._by_id.clear()
        self._by_token.clear()


def new_function_token() -> str:
    numbers = "-".join(str(secrets.randbelow(10**13)) for _ in range(3))
    return f"xwfp-{numbers}-{secrets.token_hex(16)}"


def event_function(callback_id: str, spec: Mapping[str, Any], app_id: str) -> Json:
    """A manifest's function as `function_executed` describes it (Slack's event reference)."""
    return {
        "id": f"Fn0{zlib.crc32(callback_id.encode()):08X}",
        "callback_id": callback_id,
        "title": spec.get("title", callback_id),
        "description": spec.get("description", ""),
        "type": "app",
        "input_parameters": parameters(spec.get("input_parameters")),
        "output_parameters": parameters(spec.get("output_parameters")),
        "app_id": app_id,
        "date_created": _DEFINED,
        "date_updated": _DEFINED,
        "date_deleted": 0,
    }


def parameters(spec: Any) -> list[Json]:
    """Parameters in the event's form: a list of {type, name, description, title, is_required}."""
    if isinstance(spec, list):
        return [_parameter(p, str(p.get("name")), bool(p.get("is_required"))) for p in spec]
    spec = dict(spec or {})
    if isinstance(spec.get("properties"), dict) and set(spec) <= {"properties", "required"}:
        required = set(spec.get("required") or [])
        return [_parameter(p, name, name in required) for name, p in spec["properties"].items()]
    return [_parameter(p, name, bool(p.get("is_required"))) for name, p in spec.items()]


def missing_required(declared: list[Json], given: Mapping[str, Any]) -> list[str]:
    """The required parameters `given` lacks (absent, null or empty)."""
    required = (str(p["name"]) for p in declared if p.get("is_required"))
    return [name for name in required if given.get(name) in (None, "")]


def _parameter(spec: Mapping[str, Any], name: str, required: bool) -> Json:
    found = {key: spec[key] for key in _PARAMETER_FIELDS if key in spec}
    return {**found, "name": name, "is_required": required}
