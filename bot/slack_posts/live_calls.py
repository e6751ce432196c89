"""A room's call told to Slack: the card's live line, and a Slack Calls API call (`calls.add`,
its `call` block in the card's thread, `calls.participants.*`, `calls.end`).

Each sync brings Slack up to what the store holds now, so a sync that fails part way is simply
run again: what was done is kept in the outcome even when a later step fails. A workspace that
has not granted `calls:write` (or a RoomBot with no join page to link) still gets the card.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from slack_sdk.errors import SlackApiError

from bot.blocks.calls import call_block_message
from bot.blocks.room_card import room_card
from bot.services.calls.sync import CallToSync, Person, SyncOutcome
from bot.slack_posts.cards import CANNOT_POST
from bot.slack_posts.reminders import failure_of

if TYPE_CHECKING:
    from datetime import datetime

    from slack_sdk import WebClient

    from bot.services.join_links import JoinLinks

log = logging.getLogger(__name__)

# Errors after which the Calls API is left alone for this call: the workspace did not grant
# the scopes, or Slack will not take a call from this app.
CALLS_UNAVAILABLE: Final = frozenset(
    {"missing_scope", "not_allowed_token_type", "no_permission", "invalid_created_by"}
)
# The card cannot be updated (deleted, archived, out of reach): nothing a retry would fix.
CARD_GONE: Final = CANNOT_POST | {"message_not_found", "cant_update_message"}


def sync_call(client: WebClient, task: CallToSync, links: JoinLinks, now: datetime) -> SyncOutcome:
    """Bring the card and the Slack call up to `task`; what was done, and what failed."""
    outcome = SyncOutcome()
    try:
        _update_card(client, task, links, now, outcome)
        if task.slack_call_state != "unavailable":
            _tell_calls_api(client, task, links, outcome)
    except SlackApiError as exc:
        failure = failure_of(exc)
        outcome.error, outcome.retry_after = failure.error, failure.retry_after
        log.warning("room #%s call: Slack said %s", task.room.number, failure.error)
    return outcome


def _update_card(
    client: WebClient, task: CallToSync, links: JoinLinks, now: datetime, outcome: SyncOutcome
) -> None:
    room = task.room
    if not (room.channel_id and room.card_ts):
        return
    try:
        client.chat_update(
            channel=room.channel_id, ts=room.card_ts, **room_card(room, now=now, links=links)
        )
    except SlackApiError as exc:
        if failure_of(exc).error not in CARD_GONE:
            raise
        log.info("room #%s: its card is out of reach, the call is not shown on it", room.number)
        return
    outcome.card_updated = True


def _tell_calls_api(
    client: WebClient, task: CallToSync, links: JoinLinks, outcome: SyncOutcome
) -> None:
    call_id = task.slack_call_id or _add_call(client, task, links, outcome)
    if call_id is None:
        return
    if task.call_block_ts is None:
        outcome.call_block_ts = _post_call_block(client, task, call_id)
    if task.to_add:
        users = [_slack_user(person) for person in task.to_add]
        client.calls_participants_add(id=call_id, users=users)
        outcome.listed = [person.attendee_id for person in task.to_add]
    if task.ended:
        if task.slack_call_state != "ended":
            client.calls_end(id=call_id, duration=_duration(task))
            outcome.slack_call_state = "ended"
    elif task.to_remove:
        users = [_slack_user(person) for person in task.to_remove]
        client.calls_participants_remove(id=call_id, users=users)
        outcome.unlisted = [person.attendee_id for person in task.to_remove]


def _add_call(
    client: WebClient, task: CallToSync, links: JoinLinks, outcome: SyncOutcome
) -> str | None:
    room, call = task.room, task.room.call
    join_url = links.url_for(room)
    if join_url is None or call is None:  # calls.add needs a join URL: none to give
        outcome.slack_call_state = "unavailable"
        return None
    try:
        answer = client.calls_add(
            external_unique_id=f"{room.acs_room_id}:{task.server_call_id}",
            join_url=join_url,
            created_by=task.started_by_user or room.organizer_id,
            date_start=int(call.started_at.timestamp()),
            title=room.title[:255],
            external_display_id=f"#{room.number}",
        )
    except SlackApiError as exc:
        error = failure_of(exc).error
        if error not in CALLS_UNAVAILABLE:
            raise
        log.info("room #%s: no Slack call (%s); the card still shows it", room.number, error)
        outcome.slack_call_state = "unavailable"
        return None
    call_id = str(answer["call"]["id"])
    outcome.slack_call_id, outcome.slack_call_state = call_id, "added"
    return call_id


def _post_call_block(client: WebClient, task: CallToSync, call_id: str) -> str | None:
    room = task.room
    if not (room.channel_id and room.card_ts):
        return None
    try:
        answer = client.chat_postMessage(
            channel=room.channel_id, thread_ts=room.card_ts, **call_block_message(room, call_id)
        )
    except SlackApiError as exc:
        if failure_of(exc).error not in CARD_GONE:
            raise
        return None
    return str(answer["ts"])


def _slack_user(person: Person) -> dict[str, Any]:
    if person.slack_user_id:
        return {"slack_id": person.slack_user_id}
    return {"external_id": person.raw_id, "display_name": person.display_name or "Guest"}


def _duration(task: CallToSync) -> int:
    call = task.room.call
    assert call is not None
    assert call.ended_at is not None
    if call.duration_seconds is not None:
        return max(0, round(call.duration_seconds))
    return max(0, round((call.ended_at - call.started_at).total_seconds()))
