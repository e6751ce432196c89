"""Posting reminders to Slack: in the card's thread and the channel, or to the organizer's
DM when the channel is out of reach; at expiry, the card itself changes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.blocks.reminder import expired_note, gone_note, reminder_message
from bot.blocks.room_card import room_card
from bot.blocks.summary import NO_JOIN
from bot.services.reminders.rules import Kind, Notice, SlackFailure, dm_target

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from slack_sdk import WebClient

    from bot.blocks.kit import Json
    from bot.services.domain import RoomDetails
    from bot.services.join_links import JoinLinks

log = logging.getLogger(__name__)


def post_notice(client: WebClient, notice: Notice, links: JoinLinks = NO_JOIN) -> str:
    """Deliver `notice`; returns the id of the channel (or DM) it reached. When the room
    opens and when it expires, its card changes too (Join appears, then goes)."""
    if notice.kind is Kind.EXPIRED:
        return _post_expired(client, notice, links)
    if notice.kind is Kind.OPEN:
        _refresh_card(client, notice.room, notice.now, links)
    message = reminder_message(notice, links)
    return _post_or_dm(client, notice.room, message, message, broadcast=True)


def _refresh_card(client: WebClient, room: RoomDetails, now: datetime, links: JoinLinks) -> None:
    """Best effort: the notice that follows says the same, and reaches a DM if need be."""
    if not (room.channel_id and room.card_ts):
        return
    try:
        card = room_card(room, now=now, links=links)
        client.chat_update(channel=room.channel_id, ts=room.card_ts, **card)
    except SlackApiError as exc:
        log.warning("could not update the card of room #%s: %s", room.number, failure_of(exc))


def _post_expired(client: WebClient, notice: Notice, links: JoinLinks) -> str:
    room = notice.room
    in_dm = expired_note(notice, with_buttons=True)
    if not (room.channel_id and room.card_ts):
        return _post_or_dm(client, room, in_dm, in_dm, broadcast=False)
    try:
        client.chat_update(
            channel=room.channel_id, ts=room.card_ts, **room_card(room, now=notice.now, links=links)
        )
    except SlackApiError as exc:
        if dm_target(failure_of(exc).error, room) is None:
            raise
        return _dm(client, room, in_dm)
    in_thread = expired_note(notice, with_buttons=False)
    return _post_or_dm(client, room, in_thread, in_dm, broadcast=False)


def _post_or_dm(
    client: WebClient, room: RoomDetails, in_channel: Json, in_dm: Json, *, broadcast: bool
) -> str:
    if room.channel_id:
        try:
            return _post_in_channel(client, room, room.channel_id, in_channel, broadcast)
        except SlackApiError as exc:
            if dm_target(failure_of(exc).error, room) is None:
                raise
    return _dm(client, room, in_dm)


def _post_in_channel(
    client: WebClient, room: RoomDetails, channel: str, message: Json, broadcast: bool
) -> str:
    """A reply in the card's thread (also shown in the channel when `broadcast`); a plain
    channel message when the room has no card."""
    thread: dict[str, Any] = {"thread_ts": room.card_ts} if room.card_ts else {}
    if room.card_ts and broadcast:
        thread["reply_broadcast"] = True
    response = client.chat_postMessage(channel=channel, **thread, **message)
    return str(response["channel"])


def _dm(client: WebClient, room: RoomDetails, message: Json) -> str:
    response = client.chat_postMessage(channel=room.organizer_id, **message)
    return str(response["channel"])


def show_gone(
    client: WebClient, room: RoomDetails, now: datetime, links: JoinLinks = NO_JOIN
) -> None:
    """Turn the card of a room ACS no longer has into its deleted state, with a note why.
    Best effort: the room is already marked deleted, whatever Slack says."""
    if not (room.channel_id and room.card_ts):
        return
    try:
        card = room_card(room, now=now, links=links)
        client.chat_update(channel=room.channel_id, ts=room.card_ts, **card)
        client.chat_postMessage(channel=room.channel_id, thread_ts=room.card_ts, **gone_note(room))
    except SlackApiError as exc:
        log.warning("could not update the card of room #%s: %s", room.number, failure_of(exc))


def failure_of(exc: SlackApiError) -> SlackFailure:
    """Slack's error code, HTTP status and Retry-After, from slack_sdk's exception."""
    response = exc.response
    status = int(getattr(response, "status_code", 200) or 200)
    error = str(response.get("error") or f"http_{status}")
    return SlackFailure(error, status, _retry_after(getattr(response, "headers", None) or {}))


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            text = value[0] if isinstance(value, list) and value else value
            try:
                return max(0.0, float(text))
            except (TypeError, ValueError):
                return None
    return None
