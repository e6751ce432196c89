"""Typed `&`, `<` and `>` reach RoomBot as Slack sends them (entities) and come out as typed:
decoded once on the way in, escaped once on the way out."""

from __future__ import annotations

from sqlalchemy import Engine

from bot.blocks import ids
from bot.services.domain import Role, RoomKey, Workspace
from tests.bot.audit.helpers import recorded
from tests.support.slack_stack import Stack

DEMO = Workspace("", "T0DEMO")
TYPED = "R&D <core> \"quotes\" 'x'"
ANA, BEN, CHO = "U06ANA1001", "U06BEN1002", "U06CHO1003"


def stored_title(stack: Stack, number: int = 1) -> str:
    return stack.services.rooms.get(DEMO, RoomKey(number=number)).title


def card_header(stack: Stack) -> str:
    card = next(m for m in stack.channel_messages() if m.get("blocks"))
    header = next(b for b in card["blocks"] if b["type"] == "header")
    return str(header["text"]["text"])


def test_a_typed_title_is_stored_and_audited_exactly_as_typed(stack: Stack, engine: Engine) -> None:
    stack.run(f"/room create {TYPED}")
    assert stored_title(stack) == TYPED
    created = recorded(engine, "room.created")
    assert created[-1].after is not None
    assert created[-1].after["title"] == TYPED


def test_the_card_escapes_the_typed_title_once(stack: Stack) -> None:
    stack.run(f"/room create {TYPED}")
    assert card_header(stack) == "R&amp;D &lt;core&gt; \"quotes\" 'x'"


def test_the_console_shows_the_title_as_typed(stack: Stack, capsys) -> None:  # type: ignore[no-untyped-def]
    stack.run(f"/room create {TYPED}")
    assert f"# {TYPED}" in capsys.readouterr().out


def test_a_typed_ampersand_joins_people_like_and(stack: Stack) -> None:
    stack.run("/room create Sync @ben & @cho")
    members = stack.services.rooms.get(DEMO, RoomKey(number=1)).members
    assert {m.slack_user_id: m.role for m in members} == {
        ANA: Role.PRESENTER,
        BEN: Role.ATTENDEE,
        CHO: Role.ATTENDEE,
    }
    assert stored_title(stack) == "Sync"


def test_a_room_is_found_by_a_title_typed_with_control_characters(stack: Stack) -> None:
    stack.run('/room create "R&D <core>"')
    stack.run('/room extend "R&D <core>" by 1h')
    assert "extended" in stack.last_reply()


def test_a_title_typed_into_the_form_arrives_raw_and_is_stored_as_typed(stack: Stack) -> None:
    stack.run("/room")
    stack.submit(f"title={_shell_quoted(TYPED)} duration='1 hour'")
    assert stored_title(stack) == TYPED


def test_the_message_shortcut_decodes_the_message_text_for_the_title(stack: Stack) -> None:
    ts = stack.standin.post_user_message("general", "ana", "R&D <core> kickoff with @ben")
    message = next(m for m in stack.channel_messages() if m["ts"] == ts)
    assert message["text"] == "R&amp;D &lt;core&gt; kickoff with <@U06BEN1002|ben>"
    stack.message_shortcut(message)
    form = stack.standin.modal_stack("ana")[-1]
    title = next(b for b in form["blocks"] if b.get("block_id") == ids.TITLE.block_id)
    assert title["element"]["initial_value"] == "R&D <core> kickoff"


def _shell_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def members_of(stack: Stack, number: int = 1) -> set[str]:
    return {m.slack_user_id for m in stack.services.rooms.get(DEMO, RoomKey(number=number)).members}


def test_a_typed_user_group_name_invites_its_members(stack: Stack) -> None:
    stack.run("/room create Crit @design", user="eve")
    assert members_of(stack) == {"U06EVE1005", ANA, BEN, CHO}


def test_a_typed_channel_name_invites_its_human_members(stack: Stack) -> None:
    stack.run("/room create Crit #design", user="eve")
    assert members_of(stack) == {"U06EVE1005", ANA, BEN, CHO}


def test_a_typed_name_nobody_has_is_named_in_the_reply(stack: Stack) -> None:
    stack.run("/room create Crit @nobody")
    assert "I don't know anyone called @nobody." in " ".join(stack.replies())
