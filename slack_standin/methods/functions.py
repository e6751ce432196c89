"""functions.completeSuccess and functions.completeError: a custom step's result.

Errors, from Slack's method pages: `function_execution_not_found` (no such execution),
`access_denied` (a function token of another execution), `execution_not_in_running_state`
("no longer in a state to be completed": already completed; Slack's page for completeError also
shows `function_execution_not_found` for "has been completed and cannot be found", but the
stand-in keeps the error whose description fits), `parameter_validation_failed` (the outputs
lack a required output parameter; the reasons name them). Outputs that are not a JSON object
are refused with `invalid_arguments`, by the stand-in's choice; output types are not checked.
Completing an execution revokes its function token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.checks.reasons import problem
from slack_standin.executions import Execution, missing_required
from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from slack_standin.state import StandinState


def complete_success(state: StandinState, args: Args) -> dict[str, Any]:
    execution = _running(state, args)
    outputs = args.structured("outputs")
    if not isinstance(outputs, dict):
        raise ApiError("invalid_arguments", messages=[problem("must be an object", "/outputs")])
    missing = missing_required(execution.function["output_parameters"], outputs)
    if missing:
        reasons = [problem(f"missing required output: {n}", f"/outputs/{n}") for n in missing]
        raise ApiError("parameter_validation_failed", messages=reasons)
    state.executions.complete(execution, {"outputs": outputs})
    return {}


def complete_error(state: StandinState, args: Args) -> dict[str, Any]:
    execution = _running(state, args)
    state.executions.complete(execution, {"error": args.text("error") or ""})
    return {}


def _running(state: StandinState, args: Args) -> Execution:
    execution = state.executions.get(args.text("function_execution_id"))
    if execution is None:
        raise ApiError("function_execution_not_found")
    acting_for = state.executions.of_token(args.token)
    if acting_for is not None and acting_for is not execution:
        raise ApiError("access_denied")
    if execution.outcome is not None:
        raise ApiError("execution_not_in_running_state")
    return execution


HANDLERS = {
    "functions.completeSuccess": complete_success,
    "functions.completeError": complete_error,
}
