"""Per-method refusals before a handler runs: a scope the app was not granted, then a missing
required argument (Slack checks arguments after auth, and so does the stand-in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.checks.method_rules import RULES, MethodRule
from slack_standin.checks.reasons import problem
from slack_standin.wire import ApiError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


def refuse_unmet_rules(method: str, args: Mapping[str, Any], granted: Sequence[str]) -> None:
    rule = RULES.get(method, MethodRule())
    _refuse_missing_scope(rule, granted)
    _refuse_missing_arguments(rule, args)


def _refuse_missing_scope(rule: MethodRule, granted: Sequence[str]) -> None:
    if not rule.scopes or set(rule.scopes) & set(granted):
        return
    # Slack names the scope(s) that would do and every scope the token has.
    fields = {"needed": ",".join(rule.scopes), "provided": ",".join(granted)}
    raise ApiError("missing_scope", fields=fields)


def _refuse_missing_arguments(rule: MethodRule, args: Mapping[str, Any]) -> None:
    missing = [group for group in rule.required if not any(_given(args, n) for n in group)]
    if missing:
        reasons = [problem(f"missing required field: {' or '.join(group)}") for group in missing]
        raise ApiError("invalid_arguments", messages=reasons)


def _given(args: Mapping[str, Any], name: str) -> bool:
    return args.get(name) not in (None, "")
