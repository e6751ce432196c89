"""What RoomBot says about a room's call: the live line ("Live since 10:02 · 3 in the call:
@ana @ben @cho"), the last call ("Last call: 10:02-10:47, 45 min, 4 people"), and the message
that carries the Slack call's `call` block in the card's thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from bot.blocks.summary import title_text
from bot.blocks.text import join_within, mention, slack_date

if TYPE_CHECKING:
    from bot.blocks.kit import Json
    from bot.services.domain import CallStatus, RoomDetails

# Mentions shown on the live line before "…and N more" (a context block holds 2,000 characters).
LIVE_LINE_BUDGET: Final = 600


def call_line(call: CallStatus | None) -> str | None:
    """The live line while the call is on, the last call's line after; None before any call."""
    if call is None:
        return None
    return live_line(call) if call.live else last_call_line(call)


def live_line(call: CallStatus) -> str:
    since = f":red_circle: *Live* since {slack_date(call.started_at, '{time}')}"
    count = call.in_call_count
    if count == 0:
        return f"{since} · nobody in the call right now"
    people = [mention(user) for user in call.in_call]
    if call.guests_in_call:
        people.append(_plural(call.guests_in_call, "guest"))
    listed = join_within(people, LIVE_LINE_BUDGET)
    return f"{since} · {count} in the call: {listed}"


def last_call_line(call: CallStatus) -> str:
    assert call.ended_at is not None
    start = slack_date(call.started_at, "{date_short_pretty} {time}")
    end = slack_date(call.ended_at, "{time}")
    return f"Last call: {start}–{end}, {minutes_text(call)}, {_plural(call.people, 'person')}"


def minutes_text(call: CallStatus) -> str:
    assert call.ended_at is not None
    seconds = call.duration_seconds
    if seconds is None:
        seconds = (call.ended_at - call.started_at).total_seconds()
    minutes = round(max(0.0, seconds) / 60)
    return "under a minute" if minutes < 1 else f"{minutes} min"


def call_block_message(room: RoomDetails, call_id: str) -> Json:
    """`{"text", "blocks"}` for the thread reply that shows the Slack call."""
    title = title_text(room, 150)
    return {
        "text": f"Call of room #{room.number}: {title}",
        "blocks": [{"type": "call", "call_id": call_id}],
    }


def _plural(count: int, word: str) -> str:
    if word == "person":
        return "1 person" if count == 1 else f"{count} people"
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
