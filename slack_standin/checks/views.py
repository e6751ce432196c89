"""A view (modal or App Home) as Slack checks it before views.open/push/update/publish.

slack_sdk's `View.validate_json()` already checks the type, title/submit/close ≤ 24
characters, 1 to 100 blocks, private_metadata ≤ 3,000, callback_id ≤ 255, and no submit or close
on a Home tab; it does not look inside the blocks, does not require a modal's title or its
submit beside input blocks, accepts markdown and bare strings for title/submit/close, and does
not limit external_id. Those are checked here, the blocks by `block_problems`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.views import View

from slack_standin.checks.blocks import block_problems
from slack_standin.checks.reasons import model_problem, problem, unreadable

EXTERNAL_ID_MAX: Final = 255
_PLAIN_TEXTS: Final = ("title", "submit", "close")


def view_problems(payload: Any, view_type: str) -> list[str]:
    """Every reason Slack would refuse `payload` as a `view_type` view; empty when none."""
    if not isinstance(payload, Mapping):
        return [problem("must be an object", "/view")]
    if payload.get("type") != view_type:
        return [problem(f"must be a {view_type} view here", "/view/type")]
    found = block_problems(payload.get("blocks"), "/view/blocks")
    found += _model_problems(payload, blocks_refused=bool(found))
    found += _text_problems(payload)
    return found + _modal_problems(payload) + _external_id_problems(payload)


def _model_problems(payload: Mapping[str, Any], *, blocks_refused: bool) -> list[str]:
    try:
        View(**payload).validate_json()
    except SlackObjectFormationError as exc:
        return [model_problem(exc, payload, "/view")]
    except Exception as exc:  # the model could not be built; the blocks' reasons say why
        return [] if blocks_refused else [unreadable(exc, "/view")]
    return []


def _text_problems(payload: Mapping[str, Any]) -> list[str]:
    return [
        problem("must be a plain_text text object", f"/view/{name}")
        for name in _PLAIN_TEXTS
        if name in payload and not _is_plain_text(payload[name])
    ]


def _modal_problems(payload: Mapping[str, Any]) -> list[str]:
    if payload.get("type") != "modal":
        return []
    found = [] if payload.get("title") else [problem("missing required field: title", "/view")]
    if _has_input(payload.get("blocks")) and not payload.get("submit"):
        found.append(problem("must provide a submit property when using input blocks", "/view"))
    return found


def _external_id_problems(payload: Mapping[str, Any]) -> list[str]:
    if len(str(payload.get("external_id") or "")) <= EXTERNAL_ID_MAX:
        return []
    return [problem(f"must be no more than {EXTERNAL_ID_MAX} characters", "/view/external_id")]


def _is_plain_text(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get("type") == "plain_text"


def _has_input(blocks: Any) -> bool:
    listed = blocks if isinstance(blocks, list) else []
    return any(isinstance(b, Mapping) and b.get("type") == "input" for b in listed)
