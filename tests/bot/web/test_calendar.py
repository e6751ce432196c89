"""The room's .ics: what Outlook and Google Calendar need, escaped and folded per RFC 5545."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services.domain import RoomDetails, RoomState, Workspace
from bot.web.calendar import room_event

START = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def room(title: str) -> RoomDetails:
    return RoomDetails(
        workspace=Workspace("", "T1"),
        number=7,
        title=title,
        acs_room_id="99524377284615023",
        organizer_id="U1",
        channel_id=None,
        card_ts=None,
        valid_from=START,
        valid_until=START + timedelta(minutes=45),
        pstn_dial_out_enabled=False,
        state=RoomState.ACTIVE,
        members=(),
        join_key="q7Ue3mWk9dT2xYbR4sNc1A",
    )


def unfolded(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_the_event_has_the_window_in_utc_the_title_and_the_join_link() -> None:
    url = "https://roombot.example.com/r/q7Ue3mWk9dT2xYbR4sNc1A"
    lines = unfolded(room_event(room("Weekly sync"), join_url=url, now=START))
    assert "DTSTART:20261207T093000Z" in lines
    assert "DTEND:20261207T101500Z" in lines
    assert "SUMMARY:Weekly sync" in lines
    assert f"URL:{url}" in lines
    assert "UID:room-q7Ue3mWk9dT2xYbR4sNc1A@roombot" in lines
    assert lines[0] == "BEGIN:VCALENDAR"


def test_text_is_escaped_and_long_lines_folded_within_75_octets() -> None:
    title = "Plan; budget, Q1\\Q2\nnext — " + "é" * 60
    ics = room_event(room(title), join_url="https://x.example/r/k", now=START)
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    summary = next(line for line in unfolded(ics) if line.startswith("SUMMARY:"))
    assert summary.startswith("SUMMARY:Plan\\; budget\\, Q1\\\\Q2\\nnext — é")
    assert summary.endswith("é" * 10)
