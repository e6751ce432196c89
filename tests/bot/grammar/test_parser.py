"""The `/room …` grammar (bot/grammar/parser.py): text -> a typed command or a UsageError."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import get_args
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.grammar.parser import parse_command
from bot.grammar.typed_commands import (
    ChangeRole,
    ChannelRef,
    Command,
    CreateRoom,
    DeleteRoom,
    ExtendRoom,
    InviteToRoom,
    ListRooms,
    ListScope,
    OpenCreateModal,
    PersonRef,
    RemoveFromRoom,
    RescheduleRoom,
    RoomRef,
    RoomRefKind,
    SetPstn,
    ShowAudit,
    ShowHelp,
    ShowRoom,
    UsageError,
    UserGroupRef,
    UserNameRef,
    UserRef,
)
from bot.grammar.usage import GENERAL_USAGE, USAGE, help_text
from bot.services.domain import Role

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
# Wednesday 10 June 2026, 10:30 in New York (EDT, UTC-4).
NOW = datetime(2026, 6, 10, 10, 30, tzinfo=NEW_YORK)
ROOM_12 = RoomRef(RoomRefKind.NUMBER, "12")


def parse(text: str, tz: ZoneInfo = NEW_YORK) -> Command | UsageError:
    return parse_command(text, now=NOW, tz=tz)


def ny(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK).astimezone(UTC)


def created(text: str) -> CreateRoom:
    command = parse(f"create {text}")
    assert isinstance(command, CreateRoom), command
    return command


def refused(text: str) -> UsageError:
    result = parse(text)
    assert isinstance(result, UsageError), result
    return result


def invited(mentions: str) -> tuple[PersonRef, ...]:
    command = parse(f"invite #12 {mentions}")
    assert isinstance(command, InviteToRoom), command
    return command.people


# The create form


@pytest.mark.parametrize("text", ["", "   ", "create", "CREATE"])
def test_no_arguments_open_the_create_modal(text: str) -> None:
    assert parse(text) == OpenCreateModal()


def test_the_full_create_example_reads_every_part() -> None:
    command = parse("create Design review tomorrow 14:00 for 90m @ana @ben as presenter @cho pstn")
    assert command == CreateRoom(
        title="Design review",
        start=ny(2026, 6, 11, 14, 0),
        end=None,
        duration=timedelta(minutes=90),
        people=(
            (Role.ATTENDEE, UserNameRef("ana")),
            (Role.ATTENDEE, UserNameRef("ben")),
            (Role.PRESENTER, UserNameRef("cho")),
        ),
        pstn=True,
    )


# Create: title and times


def test_a_title_may_be_quoted_and_followed_by_a_time() -> None:
    command = created('"Q3 planning" next fri 15:30')
    assert (command.title, command.start) == ("Q3 planning", ny(2026, 6, 12, 15, 30))


def test_a_quoted_title_may_hold_keywords() -> None:
    assert created('"Plan for 2h until done" for 2h').title == "Plan for 2h until done"


def test_at_introduces_the_start() -> None:
    command = created("Lunch at noon")
    assert (command.title, command.start) == ("Lunch", ny(2026, 6, 10, 12, 0))


def test_from_introduces_the_start() -> None:
    assert created("Retro from friday 9am").start == ny(2026, 6, 12, 9, 0)


def test_until_sets_the_end() -> None:
    command = created("Sync until 5pm")
    assert (command.title, command.end, command.duration) == ("Sync", ny(2026, 6, 10, 17, 0), None)


def test_an_end_clock_time_is_read_on_the_starts_day() -> None:
    command = created("Retro from tomorrow 9am to 11am")
    assert (command.start, command.end) == (ny(2026, 6, 11, 9, 0), ny(2026, 6, 11, 11, 0))


@pytest.mark.parametrize("keyword", ["until", "till", "to"])
def test_each_end_keyword_sets_the_end(keyword: str) -> None:
    assert created(f"Sync {keyword} 5pm").end == ny(2026, 6, 10, 17, 0)


def test_for_sets_the_duration() -> None:
    assert created("Sync for 2 hours").duration == timedelta(hours=2)


def test_a_title_without_times_leaves_start_and_end_to_the_defaults() -> None:
    command = created("Sync")
    assert (command.start, command.end, command.duration) == (None, None, None)


def test_the_default_window_starts_now_and_lasts_one_hour() -> None:
    assert created("Sync").window(NOW) == (NOW, NOW + timedelta(hours=1))


def test_the_window_uses_the_typed_duration_from_the_typed_start() -> None:
    start = ny(2026, 6, 11, 14, 0)
    assert created("Sync tomorrow 14:00 for 30m").window(NOW) == (
        start,
        start + timedelta(minutes=30),
    )


def test_for_without_a_duration_after_it_stays_in_the_title() -> None:
    assert created("Plan for Q3 tomorrow 9am").title == "Plan for Q3"


def test_from_without_a_time_after_it_stays_in_the_title() -> None:
    assert created("Notes from Lisbon").title == "Notes from Lisbon"


def test_at_before_a_place_stays_in_the_title() -> None:
    assert created("Coffee at Blue Bottle").title == "Coffee at Blue Bottle"


def test_a_quoted_title_keeps_words_that_look_like_a_time() -> None:
    assert created('"Coffee at 5th Ave" at 3pm').title == "Coffee at 5th Ave"


def test_angle_brackets_that_are_not_mentions_stay_in_the_title() -> None:
    assert created("Team <3 party @ana").title == "Team <3 party"


def test_a_number_in_the_title_is_not_taken_for_a_time() -> None:
    command = created("Sprint 12 review friday")
    assert (command.title, command.start) == ("Sprint 12 review", ny(2026, 6, 12, 0, 0))


def test_the_start_is_read_in_the_users_zone() -> None:
    command = parse_command("create Sync tomorrow 9am", now=NOW, tz=TOKYO)
    # 10:30 in New York is 23:30 in Tokyo: tomorrow there is Thursday 11 June.
    assert isinstance(command, CreateRoom)
    assert command.start == datetime(2026, 6, 11, 0, 0, tzinfo=UTC)


def test_keywords_are_case_insensitive() -> None:
    assert created("Sync TOMORROW 9AM FOR 1H").duration == timedelta(hours=1)


# Create: people


def test_people_before_any_role_are_attendees() -> None:
    assert created("Sync @ana @ben").people_with(Role.ATTENDEE) == (
        UserNameRef("ana"),
        UserNameRef("ben"),
    )


def test_a_role_applies_to_everyone_after_it_until_the_next_role() -> None:
    command = created("Sync as presenters @ana @ben as consumer @cho")
    assert command.people == (
        (Role.PRESENTER, UserNameRef("ana")),
        (Role.PRESENTER, UserNameRef("ben")),
        (Role.CONSUMER, UserNameRef("cho")),
    )


def test_someone_named_twice_keeps_their_place_and_their_last_role() -> None:
    command = created("Sync @ana @ben as presenter @ana")
    assert command.people == (
        (Role.PRESENTER, UserNameRef("ana")),
        (Role.ATTENDEE, UserNameRef("ben")),
    )


def test_pstn_is_off_unless_asked_for() -> None:
    assert created("Sync @ana").pstn is False


def test_pstn_is_on_when_asked_for() -> None:
    assert created("Sync pstn").pstn is True


# Create: errors


def test_a_misspelled_time_is_reported_instead_of_joining_the_title() -> None:
    error = refused("create Design review tomorow 9am")
    assert error == UsageError("I couldn't read “tomorow 9am” as a time.", USAGE["create"].line)


def test_from_before_something_time_shaped_that_does_not_read_is_reported() -> None:
    assert refused("create Sync from blorpday").message == (
        "I couldn't read “blorpday” as a time."
        ' If that belongs to the title, put the title in quotes: "Coffee at 5th Ave".'
    )


def test_an_impossible_clock_time_is_reported() -> None:
    assert refused("create Standup 25:00").message == "I couldn't read “25:00” as a time."


def test_a_misspelled_duration_is_reported() -> None:
    assert refused("create Design review for 9Om").message == (
        "I couldn't read “9Om” as a duration (like 30m, 2h or 1h30m)."
    )


def test_a_zero_duration_is_refused() -> None:
    assert refused("create Sync for 0m").message == "A duration must be longer than zero."


def test_an_absurd_duration_is_refused() -> None:
    assert refused("create Sync for 500d").message == "That's too long: at most 400 days."


def test_both_an_end_and_a_duration_are_refused() -> None:
    assert refused("create Sync for 1h until 3pm").message == (
        "Give either “for <duration>” or “until <time>”, once."
    )


def test_an_unreadable_end_time_is_reported() -> None:
    assert refused("create Sync @ana until tomorow").message == (
        "I couldn't read “tomorow” as a time."
    )


def test_a_dangling_for_asks_for_a_duration() -> None:
    assert refused("create Sync for").message == "Put a duration after “for”."


def test_an_unknown_role_names_the_roles() -> None:
    assert refused("create Sync as boss @ana").message == (
        "“boss” isn't a role: use presenter, attendee, consumer or collaborator."
    )


def test_a_plain_word_among_people_is_reported() -> None:
    assert refused("create Sync @ana bob").message == "I didn't understand “bob” there."


def test_a_missing_title_is_reported() -> None:
    assert refused("create @ana").message == "Give the room a title first."


def test_a_time_alone_is_not_a_title() -> None:
    assert refused("create tomorrow 9am").message == "Give the room a title first."


def test_a_title_longer_than_a_card_header_is_refused() -> None:
    assert refused("create " + "x" * 151).message == (
        "The title is too long: at most 150 characters."
    )


# People, in every form Slack sends


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("<@U123ABC>", UserRef("U123ABC")),
        ("<@U123ABC|ana>", UserRef("U123ABC")),
        ("<@W123>", UserRef("W123")),
        ("@ana", UserNameRef("ana")),
        ("@ana.b-c", UserNameRef("ana.b-c")),
        ("<!subteam^S123|@design>", UserGroupRef("S123")),
        ("<!subteam^S123>", UserGroupRef("S123")),
        ("<#C123|general>", ChannelRef("C123")),
        ("<#C123>", ChannelRef("C123")),
    ],
)
def test_each_mention_form_reads_as_its_reference(mention: str, expected: PersonRef) -> None:
    assert invited(mention) == (expected,)


def test_people_may_be_joined_by_commas_and_and() -> None:
    assert invited("@ana, @ben and <@U1>") == (
        UserNameRef("ana"),
        UserNameRef("ben"),
        UserRef("U1"),
    )


def test_duplicate_people_are_removed_keeping_the_first_order() -> None:
    assert invited("@ben @ana <@U1> @ben <@U1|x>") == (
        UserNameRef("ben"),
        UserNameRef("ana"),
        UserRef("U1"),
    )


@pytest.mark.parametrize("mention", ["@here", "<!here>", "<!channel>", "@everyone"])
def test_broadcast_mentions_are_not_people(mention: str) -> None:
    assert "isn't a person" in refused(f"invite #12 {mention}").message


def test_a_malformed_mention_is_reported() -> None:
    assert refused("invite #12 <@nobody>").message == (
        "I couldn't read “<@nobody>” as a person, group or channel."
    )


# Room references


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("#12", ROOM_12),
        ("12", ROOM_12),
        ("#012", ROOM_12),
        ("99410424610840801", RoomRef(RoomRefKind.ACS_ID, "99410424610840801")),
        ("1234567890123456", RoomRef(RoomRefKind.ACS_ID, "1234567890123456")),
        ("123456789012345678", RoomRef(RoomRefKind.ACS_ID, "123456789012345678")),
        ("Design review", RoomRef(RoomRefKind.TITLE, "Design review")),
        ('"Design  review"', RoomRef(RoomRefKind.TITLE, "Design review")),
        ('"12"', RoomRef(RoomRefKind.TITLE, "12")),
    ],
)
def test_each_room_reference_kind_is_read(typed: str, expected: RoomRef) -> None:
    assert parse(f"show {typed}") == ShowRoom(expected)


def test_room_number_zero_is_refused() -> None:
    assert refused("show #0").message == "Room numbers start at #1."


@pytest.mark.parametrize("digits", ["1234567890", "1234567890123456789"])
def test_a_number_too_long_for_a_room_number_and_wrong_for_an_id_is_refused(digits: str) -> None:
    assert refused(f"show {digits}").message == (
        f"“{digits}” is neither a room number nor a room ID (16 to 18 digits)."
    )


def test_a_missing_room_is_asked_for() -> None:
    assert refused("show") == UsageError(
        "Which room? Give its number (#12), its ID or its title.", "/room show <room>"
    )


# list, show, delete


def test_list_defaults_to_my_rooms() -> None:
    assert parse("list") == ListRooms(ListScope.MINE)


@pytest.mark.parametrize("scope", list(ListScope))
def test_list_takes_a_scope(scope: ListScope) -> None:
    assert parse(f"list {scope.value}") == ListRooms(scope)


def test_list_refuses_other_scopes() -> None:
    assert refused("list everything").message == "List “mine” or “all”, not “everything”."


def test_delete_reads_the_room() -> None:
    assert parse("delete #12") == DeleteRoom(ROOM_12)


# invite, role, remove


def test_invite_makes_attendees_by_default() -> None:
    assert parse("invite #12 @ana") == InviteToRoom(ROOM_12, (UserNameRef("ana"),), Role.ATTENDEE)


def test_invite_takes_a_role_after_the_people() -> None:
    command = parse("invite Design review @ana as presenter")
    expected_room = RoomRef(RoomRefKind.TITLE, "Design review")
    assert command == InviteToRoom(expected_room, (UserNameRef("ana"),), Role.PRESENTER)


def test_invite_without_people_asks_for_them() -> None:
    assert refused("invite #12").message == (
        "Who should I invite? Mention them: @ana, a user group or a #channel."
    )


def test_role_takes_the_role_as_the_last_word() -> None:
    assert parse("role #12 @ana presenter") == ChangeRole(
        ROOM_12, (UserNameRef("ana"),), Role.PRESENTER
    )


def test_role_also_takes_as_role() -> None:
    assert parse("role #12 @ana @ben as consumers") == ChangeRole(
        ROOM_12, (UserNameRef("ana"), UserNameRef("ben")), Role.CONSUMER
    )


def test_role_without_a_role_asks_for_one() -> None:
    assert refused("role #12 @ana") == UsageError(
        "Which role? Use presenter, attendee, consumer or collaborator.",
        "/room role <room> <people…> [as] <role>",
    )


def test_remove_reads_the_room_and_the_people() -> None:
    assert parse("remove #12 @ben <@U1>") == RemoveFromRoom(
        ROOM_12, (UserNameRef("ben"), UserRef("U1"))
    )


# extend


@pytest.mark.parametrize("text", ["extend #12 30m", "extend #12 by 30m", "extend 12 by 30 min"])
def test_extend_reads_the_duration_with_or_without_by(text: str) -> None:
    assert parse(text) == ExtendRoom(ROOM_12, timedelta(minutes=30))


def test_extend_keeps_by_inside_a_title() -> None:
    expected_room = RoomRef(RoomRefKind.TITLE, "Stand by me")
    assert parse("extend Stand by me by 1h") == ExtendRoom(expected_room, timedelta(hours=1))


def test_extend_without_a_duration_asks_for_one() -> None:
    assert refused("extend #12").message == "How much longer? End with a duration, like “by 30m”."


def test_extend_refuses_a_zero_duration() -> None:
    assert refused("extend #12 by 0h").message == "A duration must be longer than zero."


def test_extend_without_a_room_asks_for_it() -> None:
    assert refused("extend by 1h").message.startswith("Which room?")


# reschedule


def test_reschedule_reads_a_start_and_a_duration() -> None:
    assert parse("reschedule #12 from fri 10:00 for 2h") == RescheduleRoom(
        ROOM_12, ny(2026, 6, 12, 10, 0), None, timedelta(hours=2)
    )


def test_reschedule_reads_the_end_on_the_new_starts_day() -> None:
    command = parse("reschedule Notes from Lisbon from tomorrow 9am until 11am")
    assert command == RescheduleRoom(
        RoomRef(RoomRefKind.TITLE, "Notes from Lisbon"),
        ny(2026, 6, 11, 9, 0),
        ny(2026, 6, 11, 11, 0),
        None,
    )


def test_reschedule_without_a_start_asks_for_it() -> None:
    assert refused("reschedule #12 for 2h").message == "When should it start? Say “from <time>”."


def test_reschedule_does_not_take_people() -> None:
    assert refused("reschedule #12 from 3pm @ana").message == "I didn't understand “@ana” there."


# pstn


@pytest.mark.parametrize(("switch", "enabled"), [("on", True), ("off", False), ("OFF", False)])
def test_pstn_reads_on_and_off(switch: str, enabled: bool) -> None:
    assert parse(f"pstn #12 {switch}") == SetPstn(ROOM_12, enabled)


def test_pstn_without_on_or_off_asks_for_it() -> None:
    assert refused("pstn #12").message == "Say “on” or “off” after the room."


# help


def test_help_alone_is_the_overview() -> None:
    assert parse("help") == ShowHelp(None)


def test_help_takes_a_subcommand() -> None:
    assert parse("help Reschedule") == ShowHelp("reschedule")


def test_help_on_an_unknown_topic_lists_the_topics() -> None:
    assert refused("help dance").message.startswith("There's no help on “dance”: try create,")


# audit


def test_audit_alone_shows_everything() -> None:
    assert parse("audit") == ShowAudit(None, None, None)


def test_audit_reads_a_room_a_since_and_an_action() -> None:
    # "since monday" looks back: Monday 8 June, from its start.
    assert parse("audit #12 since monday action invite") == ShowAudit(
        ROOM_12, ny(2026, 6, 8, 0, 0), "invite"
    )


def test_audit_reads_people_as_its_subject() -> None:
    command = parse("audit @ana <@U1> action delete")
    assert command == ShowAudit((UserNameRef("ana"), UserRef("U1")), None, "delete")


def test_audit_reports_an_unreadable_since() -> None:
    assert refused("audit since tomorow") == UsageError(
        "I couldn't read “tomorow” as a time.", USAGE["audit"].line
    )


def test_audit_asks_for_a_time_after_since() -> None:
    assert refused("audit #12 since").message == "Since when? Put a time after “since”."


def test_audit_wants_one_action_name() -> None:
    assert refused("audit action").message == (
        "Name one action after “action”, like “action invite”."
    )


# Unknown subcommands and limits


def test_an_unknown_subcommand_is_named_with_the_general_usage() -> None:
    assert refused("dance") == UsageError("I don't know “/room dance”.", GENERAL_USAGE)


def test_a_near_miss_subcommand_gets_a_suggestion() -> None:
    assert refused("crate Sync").message == "I don't know “/room crate”. Did you mean “create”?"


def test_text_over_4000_characters_is_refused() -> None:
    assert refused("create " + "x" * 3994).message == ("That's too long: at most 4,000 characters.")


def test_text_of_4000_characters_is_read() -> None:
    assert isinstance(parse("create " + "x " * 1996 + "x"), UsageError | CreateRoom)


def test_more_than_100_people_are_refused() -> None:
    mentions = " ".join(f"<@U{n}>" for n in range(101))
    assert refused(f"invite #12 {mentions}").message == (
        "That's too many people: at most 100 at once."
    )


def test_100_people_are_read() -> None:
    mentions = " ".join(f"<@U{n}>" for n in range(100))
    assert len(invited(mentions)) == 100


# The usage table and help text


def test_every_subcommand_example_parses_to_a_command() -> None:
    results = {name: parse(usage.example.removeprefix("/room ")) for name, usage in USAGE.items()}
    assert [name for name, result in results.items() if isinstance(result, UsageError)] == []


def test_the_create_usage_states_the_defaults() -> None:
    assert "starts now and lasts 1 hour" in USAGE["create"].line


def test_the_help_overview_lists_every_subcommand() -> None:
    overview = help_text()
    assert [name for name in USAGE if f"/room {name}" not in overview] == []


def test_help_on_a_topic_shows_its_line_and_example() -> None:
    assert help_text("extend").splitlines()[1:] == [
        "/room extend <room> [by] <duration>",
        "For example: /room extend #12 by 30m",
    ]


# Nothing raises


_GRAMMAR_TEXT = """
    as for until to from at by since action on off mine all and pstn
    presenter attendees consumer collaborator tomorrow today friday next noon in ago
    9am 14:00 25:00 2026-12-01 2026-12-01T09:30:00Z 30m 1h30m 0m -1h 90 min hours
    #12 12 #0 99410424610840801 1234567890 @ana @ @here , “ ” "
    <@U123ABC> <@U123ABC|ana> <@W1> <!subteam^S1|@d> <!subteam^S1> <#C1|g> <#C1>
    <!here> <@ <@lower> <# <> < >
"""
_GRAMMAR_WORDS = [*USAGE, *_GRAMMAR_TEXT.split()]
_FUZZ_EXAMPLES = int(os.environ.get("ROOMBOT_FUZZ_EXAMPLES", "1000"))
_ANY_TEXT = st.one_of(
    st.text(),
    st.lists(st.sampled_from(_GRAMMAR_WORDS) | st.text(max_size=6), max_size=16).map(" ".join),
)
_RESULT_TYPES = (*get_args(Command), UsageError)


@settings(max_examples=_FUZZ_EXAMPLES, deadline=None)
@given(text=_ANY_TEXT, zone=st.sampled_from([NEW_YORK, TOKYO, ZoneInfo("UTC")]))
def test_any_text_yields_a_command_or_a_usage_error(text: str, zone: ZoneInfo) -> None:
    assert isinstance(parse_command(text, now=NOW, tz=zone), _RESULT_TYPES)


def test_long_unreadable_text_is_echoed_cut_short() -> None:
    message = refused("audit since " + "friday " * 20).message
    assert message == f"I couldn't read “{('friday ' * 20)[:59]}…” as a time."


# Text as Slack sends it: typed &, < and > arrive as entities and are read as typed


def test_entities_in_a_typed_title_are_decoded_once() -> None:
    assert created("R&amp;D &lt;core&gt; &amp;lt;").title == "R&D <core> &lt;"


def test_a_quoted_title_keeps_the_characters_typed_inside_it() -> None:
    assert created('"R&amp;D for &lt;all&gt;" for 2h').title == "R&D for <all>"


def test_quotes_inside_a_longer_title_are_part_of_it() -> None:
    assert created("R&amp;D \"north\" 'x'").title == "R&D \"north\" 'x'"


def test_text_typed_to_look_like_a_mention_is_not_one() -> None:
    assert refused("invite #12 &lt;@U06BEN1002&gt;").message.startswith("Who should I invite?")


def test_a_typed_ampersand_joins_mentions() -> None:
    assert invited("<@U1> &amp; <@U2>") == (UserRef("U1"), UserRef("U2"))
