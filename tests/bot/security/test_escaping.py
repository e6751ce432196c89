"""Whatever a user types into a title or a reason, no surface pings, links or breaks a limit.

Each surface is built from hostile text (broadcasts, mentions, channel and user group links,
`<url|label>`, entities, markdown) and checked two ways: every `<…>` on it is markup RoomBot
wrote itself (mentions of known ids, its channel, `<!date^…>`), and Slack's Block Kit limits
hold (our explicit list, plus slack_sdk's validators).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks.audit import audit_home_section, audit_page_message
from bot.blocks.audit_lines import event_line
from bot.blocks.create_modal import result_modal
from bot.blocks.edit_modal import edit_room_modal, invite_modal
from bot.blocks.home import app_home
from bot.blocks.reminder import expired_note, gone_note, reminder_message
from bot.blocks.replies import (
    delete_confirm_message,
    denied_message,
    error_message,
    room_list_message,
)
from bot.blocks.room_card import room_card
from bot.services.attempts import Outcome
from bot.services.audit.events import AuditEvent, AuditFilters, AuditPage
from bot.services.domain import Member, Role, RoomDetails, RoomState, Workspace
from bot.services.reminders.rules import Kind, Notice
from tests.bot.security.surfaces import foreign_markup, message_breaches, view_breaches

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
WORKSPACE = Workspace(enterprise_id="", team_id="T0001")
HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!channel|@channel>",
    "<@U0EVIL99>",
    "<@W0EVIL99|boss>",
    "<#C0EVIL>",
    "<#C0EVIL|general>",
    "<!subteam^S0EVIL|@admins>",
    "<http://evil.example|click me>",
    "<https://evil.example>",
    "<mailto:a@evil.example|mail>",
    "<!date^1^{date}|x>",
    "&lt;!here&gt;",
    "&amp;",
    "&",
    "<",
    ">",
    "*bold* _it_ `code` ~s~",
    "@channel",
    "\n",
    "😀",
]
USER_TEXT = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=12), max_size=40).map("".join)
LONG_USER_TEXT = st.one_of(USER_TEXT, st.builds(lambda t: t * 40, st.sampled_from(HOSTILE)))
EXAMPLES = settings(max_examples=150, deadline=None)


def room(title: str, *, members: int = 3) -> RoomDetails:
    ids = ["U0ORGANIZER", "U0ALICE", "U0BOB"]
    return RoomDetails(
        workspace=WORKSPACE,
        number=12,
        title=title,
        acs_room_id="99524377284615023",
        organizer_id="U0ORGANIZER",
        channel_id="C0CHANNEL",
        card_ts="1714564800.000100",
        valid_from=NOW - timedelta(hours=1),
        valid_until=NOW + timedelta(hours=1),
        pstn_dial_out_enabled=False,
        state=RoomState.ACTIVE,
        members=tuple(
            Member(ids[i % 3], f"8:acs:r_{i}", list(Role)[i % 4]) for i in range(members)
        ),
    )


def event(text: str) -> AuditEvent:
    snapshot = {"title": text, "roster": {"U0ALICE": "Attendee"}}
    return AuditEvent(
        id=1,
        workspace=WORKSPACE,
        at=NOW,
        actor_id="U0ALICE",
        action="room.updated",
        outcome=Outcome.DENIED,
        reason=text,
        room_number=12,
        before=snapshot,
        after={**snapshot, "title": text[::-1]},
        detail={"note": text},
    )


def assert_safe_message(message: dict[str, Any]) -> None:
    assert foreign_markup(message) == []
    assert message_breaches(message) == []


def assert_safe_view(view: dict[str, Any]) -> None:
    assert foreign_markup(view) == []
    assert view_breaches(view) == []


@EXAMPLES
@given(title=LONG_USER_TEXT)
def test_the_room_card_and_its_replies_show_any_title_inertly(title: str) -> None:
    shown = room(title)
    assert_safe_message(room_card(shown, now=NOW))
    assert_safe_message(room_card(shown, now=NOW, deleted_by="U0ALICE"))
    assert_safe_message(room_list_message([shown] * 60, now=NOW, scope=title))
    assert_safe_message(delete_confirm_message(shown))


@EXAMPLES
@given(title=LONG_USER_TEXT)
def test_reminders_show_any_title_inertly(title: str) -> None:
    shown = room(title)
    for kind in Kind:
        notice = Notice(kind=kind, room=shown, due_at=NOW, now=NOW + timedelta(minutes=5))
        assert_safe_message(reminder_message(notice))
        assert_safe_message(expired_note(notice, with_buttons=True))
    assert_safe_message(gone_note(shown))


@EXAMPLES
@given(title=LONG_USER_TEXT)
def test_the_app_home_shows_any_title_inertly_within_100_blocks(title: str) -> None:
    many = [room(title, members=40)] * 60
    home = app_home(
        rooms_upcoming=many,
        rooms_open=many,
        rooms_ended=many,
        now=NOW,
        is_admin=True,
        admin_section=audit_home_section([event(title)] * 10),
    )
    assert_safe_view(home)


@EXAMPLES
@given(text=LONG_USER_TEXT)
def test_audit_pages_and_the_audit_channel_line_show_any_text_inertly(text: str) -> None:
    page = AuditPage(
        events=(event(text),) * 10,
        filters=AuditFilters(),
        total=11,
        has_newer=True,
        has_older=True,
    )
    assert_safe_message(audit_page_message(page))
    line = event_line(event(text))
    assert foreign_markup(line) == []
    assert 0 < len(line) <= 3000


@EXAMPLES
@given(text=LONG_USER_TEXT)
def test_error_and_denied_replies_echo_typed_text_inertly(text: str) -> None:
    assert_safe_message(error_message(f"I don't know “/room {text}”.", usage=text))
    assert_safe_message(denied_message(text, ask="U0ORGANIZER"))


@EXAMPLES
@given(title=LONG_USER_TEXT)
def test_modals_show_any_title_inertly(title: str) -> None:
    shown = room(title, members=40)
    assert_safe_view(edit_room_modal(shown))
    assert_safe_view(invite_modal(shown))
    # The result view shows the replies' fallback texts, which the reply builders escaped.
    reply = "\n".join(m["text"] for m in (error_message(title), denied_message(title)))
    assert_safe_view(result_modal(title, reply))


def test_the_checks_catch_markup_that_was_not_escaped() -> None:
    leaked = {
        "text": "x",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "<!here>"}}],
    }
    assert foreign_markup(leaked) == ["<!here>"]


def test_the_checks_catch_a_broken_limit() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}
    assert message_breaches({"text": "x", "blocks": [header]}) != []
