"""A room as an iCalendar event (RFC 5545), for Outlook and Google Calendar: its title, its
window and its join link."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from datetime import datetime

    from bot.services.domain import RoomDetails

_LINE_OCTETS: Final = 75  # RFC 5545 §3.1: longer content lines are folded


def room_event(room: RoomDetails, *, join_url: str, now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//RoomBot//Azure Communication Services rooms from Slack//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:room-{room.join_key}@roombot",
        f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(room.valid_from)}",
        f"DTEND:{_utc(room.valid_until)}",
        f"SUMMARY:{_text(room.title or f'Room #{room.number}')}",
        f"DESCRIPTION:{_text(f'Join the call: {join_url}')}",
        f"URL:{join_url}",
        f"LOCATION:{_text(join_url)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


def _utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """TEXT escaping: backslash, semicolon, comma, and newlines (RFC 5545 §3.3.11)."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Split into lines of at most 75 octets, never inside a UTF-8 character; each
    continuation starts with one space."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        limit = _LINE_OCTETS if not parts else _LINE_OCTETS - 1
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
