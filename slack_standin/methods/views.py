"""views.*: modals opened from triggers, and the App Home tab."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.modals import check_view
from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from slack_standin.state import StandinState


def open_view(state: StandinState, args: Args) -> dict[str, Any]:
    payload = check_view(args.structured("view"), "modal")
    user_id = _redeem_trigger(state, args)
    return {"view": state.views.open(user_id, payload, state.now())}


def push(state: StandinState, args: Args) -> dict[str, Any]:
    payload = check_view(args.structured("view"), "modal")
    user_id = _redeem_trigger(state, args)
    return {"view": state.views.push(user_id, payload, state.now())}


def update(state: StandinState, args: Args) -> dict[str, Any]:
    key = args.text("view_id") or args.text("external_id")
    if key is None:
        raise ApiError("invalid_arguments")
    view = state.views.update(key, args.structured("view"), args.text("hash"), state.now())
    return {"view": view}


def publish(state: StandinState, args: Args) -> dict[str, Any]:
    user = state.user(args.text("user_id"))
    view = state.views.publish(user.id, args.structured("view"), args.text("hash"), state.now())
    return {"view": view}


# The view is checked before the trigger is spent, so a bad payload leaves the trigger usable.
def _redeem_trigger(state: StandinState, args: Args) -> str:
    # Slack accepts `interactivity_pointer` in place of `trigger_id`; both are single use.
    trigger_id = args.text("trigger_id") or args.text("interactivity_pointer")
    if trigger_id is None:
        raise ApiError("invalid_arguments")
    return state.triggers.redeem(trigger_id, state.now())


HANDLERS = {
    "views.open": open_view,
    "views.push": push,
    "views.update": update,
    "views.publish": publish,
}
