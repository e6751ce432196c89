"""calls.*: the Calls API, by which a call provider shows its calls in Slack.

Error names are those of Slack's method pages (api.slack.com/methods/calls.*):
`invalid_created_by`, `invalid_start_time`, `user_not_found`, `invalid_call_id`,
`inactive_call`, and `bad_users`, which Slack answers with `"ok": true`. Where the pages are
silent the stand-in chooses, and says so below:

- calls.add again with a registered `external_unique_id` answers the Call already registered
  (unchanged), so a provider that retries never makes a second Call.
- `users` that are not a JSON array of user objects, and a `duration` that is not a
  non-negative whole number, are `invalid_arguments` with the reason in
  `response_metadata.messages`, like a missing argument.
- calls.info and calls.update on an unknown id answer `invalid_call_id` like the other methods;
  calls.update still works after calls.end.
- calls.participants.remove of someone not in the Call answers `"ok": true, "error":
  "bad_users"`, as adding someone already in it does; the other users given are still
  added or removed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from slack_standin.checks.reasons import problem
from slack_standin.slack_calls_state import CallObject, Participant, participant_key
from slack_standin.wire import ApiError, Args

if TYPE_CHECKING:
    from slack_standin.state import StandinState

_EXTERNAL_FIELDS = ("external_id", "display_name", "avatar_url")


def add(state: StandinState, args: Args) -> dict[str, Any]:
    external_id = args.need("external_unique_id", "invalid_arguments")
    existing = state.slack_calls.find_by_external_id(external_id)
    if existing is not None:
        return {"call": existing.as_object()}
    created_by = _creator(state, args.need("created_by", "invalid_arguments"))
    date_start = _date_start(state, args.raw.get("date_start"))
    users = _users(state, args, required=False)
    call = CallObject(
        id=state.ids.new("R"),
        external_unique_id=external_id,
        join_url=args.need("join_url", "invalid_arguments"),
        created_by=created_by,
        date_start=date_start,
        title=args.text("title"),
        external_display_id=args.text("external_display_id"),
        desktop_app_join_url=args.text("desktop_app_join_url"),
        users=_distinct(users),
    )
    return {"call": state.slack_calls.add(call).as_object()}


def info(state: StandinState, args: Args) -> dict[str, Any]:
    return {"call": _call(state, args).as_object()}


def update(state: StandinState, args: Args) -> dict[str, Any]:
    call = _call(state, args)
    call.join_url = args.text("join_url") or call.join_url
    call.title = args.text("title") or call.title
    call.desktop_app_join_url = args.text("desktop_app_join_url") or call.desktop_app_join_url
    return {"call": call.as_object()}


def end(state: StandinState, args: Args) -> dict[str, Any]:
    call = _call(state, args)
    if call.ended:
        return {"error": "inactive_call"}  # Slack's page: `"ok": true` with this error
    duration = _duration(args.raw.get("duration"))
    call.duration = duration
    call.date_end = int(state.now()) if duration is None else call.date_start + duration
    return {}


def participants_add(state: StandinState, args: Args) -> dict[str, Any]:
    call = _live_call(state, args)
    users = _users(state, args, required=True)
    already = [u for u in users if call.has(u)]
    call.users += [u for u in _distinct(users) if not call.has(u)]
    return {"error": "bad_users"} if already else {}


def participants_remove(state: StandinState, args: Args) -> dict[str, Any]:
    call = _live_call(state, args)
    users = _users(state, args, required=True)
    absent = [u for u in users if not call.has(u)]
    leaving = {participant_key(u) for u in users}
    call.users = [u for u in call.users if participant_key(u) not in leaving]
    return {"error": "bad_users"} if absent else {}


def _call(state: StandinState, args: Args) -> CallObject:
    found = state.slack_calls.get(args.text("id") or "")
    if found is None:
        raise ApiError("invalid_call_id")
    return found


def _live_call(state: StandinState, args: Args) -> CallObject:
    call = _call(state, args)
    if call.ended:
        raise ApiError("inactive_call")
    return call


def _creator(state: StandinState, user_id: str) -> str:
    found = state.workspace.users.get(user_id)
    if found is None or found.deleted:
        raise ApiError("invalid_created_by")
    return found.id


def _date_start(state: StandinState, raw: Any) -> int:
    if raw in (None, ""):
        return int(state.now())
    try:
        value = int(str(raw))
    except ValueError as exc:
        raise ApiError("invalid_start_time") from exc
    if value < 0:
        raise ApiError("invalid_start_time")
    return value


def _duration(raw: Any) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw))
    except ValueError:
        value = -1
    if value < 0:
        reason = problem("duration must be a whole number of seconds", "/duration")
        raise ApiError("invalid_arguments", messages=[reason])
    return value


def _users(state: StandinState, args: Args, *, required: bool) -> list[Participant]:
    """`users` as Slack reads it: a JSON array (slack_sdk sends it as a JSON string)."""
    raw = args.raw.get("users")
    if raw in (None, "") and not required:
        return []
    parsed = _json_list(raw)
    if parsed is None or (required and not parsed):
        reason = "users must be a non-empty JSON array of user objects"
        raise ApiError("invalid_arguments", messages=[problem(reason, "/users")])
    users = [_participant(item, f"/users/{i}") for i, item in enumerate(parsed)]
    for user in users:
        if "slack_id" in user and user["slack_id"] not in state.workspace.users:
            raise ApiError("user_not_found")
    return users


def _json_list(raw: Any) -> list[Any] | None:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    return raw if isinstance(raw, list) else None


def _participant(item: Any, pointer: str) -> Participant:
    """`{"slack_id": …}`, or `{"external_id": …, "display_name": …, "avatar_url": …}`."""
    if isinstance(item, dict) and isinstance(item.get("slack_id"), str) and item["slack_id"]:
        return {"slack_id": item["slack_id"]}
    if isinstance(item, dict) and item.get("external_id") and item.get("display_name"):
        return {k: str(item[k]) for k in _EXTERNAL_FIELDS if item.get(k)}
    reason = "a user needs a slack_id, or an external_id and a display_name"
    raise ApiError("invalid_arguments", messages=[problem(reason, pointer)])


def _distinct(users: list[Participant]) -> list[Participant]:
    seen: set[str] = set()
    kept = []
    for user in users:
        if participant_key(user) not in seen:
            seen.add(participant_key(user))
            kept.append(user)
    return kept


HANDLERS = {
    "calls.add": add,
    "calls.info": info,
    "calls.update": update,
    "calls.end": end,
    "calls.participants.add": participants_add,
    "calls.participants.remove": participants_remove,
}
