from __future__ import annotations

from typing import Any

from slack_standin import demo_workspace
from slack_standin.render import render_blocks, render_message, render_mrkdwn_text, render_view

NAMES = demo_workspace().display_name
WHEN = 1_700_000_000  # Tue 14 Nov 2023 22:13:20 UTC
STARTS = f"<!date^{WHEN}^{{date_short_pretty}} at {{time}}|14 Nov 2023 22:13 UTC>"


def _section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def _button(text: str, action_id: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id}


def _input(label: str, block_id: str, element: dict[str, Any], **extra: Any) -> dict[str, Any]:
    label_text = {"type": "plain_text", "text": label}
    return {"type": "input", "block_id": block_id, "label": label_text, "element": element, **extra}


def test_mentions_become_current_names() -> None:
    text = "<@U06ANA1001> invited <!subteam^S0DESIGN|@design> to <#C0DESIGN|old-name>"

    assert render_mrkdwn_text(text, names=NAMES) == "@ana invited @design to #design"


def test_an_unknown_mention_falls_back_to_its_label() -> None:
    assert render_mrkdwn_text("<@U0GONE|someone>", names=NAMES) == "@someone"


def test_a_date_shows_in_the_readers_time_zone() -> None:
    section = [_section(f"Starts {STARTS}")]

    in_new_york = render_blocks(section, names=NAMES, tz="America/New_York")
    in_tokyo = render_blocks(section, names=NAMES, tz="Asia/Tokyo")

    assert in_new_york == "Starts Nov 14, 2023 at 5:13 PM"
    assert in_tokyo == "Starts Nov 15, 2023 at 7:13 AM"


def test_pretty_dates_say_today_or_tomorrow_relative_to_now() -> None:
    today = render_mrkdwn_text(STARTS, tz="America/New_York", now=WHEN)
    tomorrow = render_mrkdwn_text(STARTS, tz="America/New_York", now=WHEN - 86400)

    assert (today, tomorrow) == ("today at 5:13 PM", "tomorrow at 5:13 PM")


def test_long_dates_and_relative_times_follow_slacks_tokens() -> None:
    text = f"<!date^{WHEN}^{{date_long}} ({{ago}})|x>"

    assert render_mrkdwn_text(text, now=WHEN + 7200) == "Tuesday, November 14th, 2023 (2 hours ago)"


def test_a_malformed_date_shows_its_fallback() -> None:
    assert render_mrkdwn_text("<!date^soon^{time}|in a bit>") == "in a bit"


def test_links_show_their_text_and_address_and_entities_are_unescaped() -> None:
    text = "<https://rooms.example/r/1|Join> &amp; say &lt;hi&gt;"

    assert render_mrkdwn_text(text) == "Join (https://rooms.example/r/1) & say <hi>"


def test_a_section_shows_fields_and_its_accessory_indented() -> None:
    section = _section(
        "*Weekly sync*",
        fields=[{"type": "mrkdwn", "text": "*Organizer*\n<@U06BEN1002>"}],
        accessory=_button("Join", "join_room"),
    )

    assert render_blocks([section], names=NAMES) == (
        "*Weekly sync*\n  *Organizer* @ben\n  [Join] (join_room)"
    )


def test_actions_list_button_texts_with_their_action_ids() -> None:
    actions = {
        "type": "actions",
        "elements": [_button("Extend +1h", "extend_room"), _button("Cancel room", "cancel_room")],
    }

    assert render_blocks([actions]) == "[Extend +1h] (extend_room)  [Cancel room] (cancel_room)"


def test_header_divider_and_context_have_fixed_shapes() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Room ready"}},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "by <@U06ANA1001>"}]},
    ]

    assert render_blocks(blocks, names=NAMES) == "# Room ready\n---\n  by @ana"


def test_inputs_show_label_address_type_and_initial_value() -> None:
    blocks = [
        _input(
            "Title",
            "title",
            {"type": "plain_text_input", "action_id": "text", "initial_value": "Team sync"},
        ),
        _input(
            "Starts",
            "starts",
            {"type": "datetimepicker", "action_id": "at", "initial_date_time": WHEN},
        ),
        _input(
            "Presenters",
            "presenters",
            {
                "type": "multi_users_select",
                "action_id": "users",
                "initial_users": ["U06ANA1001", "U06BEN1002"],
            },
            optional=True,
        ),
    ]

    assert render_blocks(blocks, names=NAMES, tz="America/New_York").splitlines() == [
        'Title [title.text]: plain_text_input = "Team sync"',
        "Starts [starts.at]: datetimepicker = Nov 14, 2023 5:13 PM",
        "Presenters (optional) [presenters.users]: multi_users_select = @ana, @ben",
    ]


def test_a_select_input_lists_its_choices_and_a_hint() -> None:
    options = [
        {"text": {"type": "plain_text", "text": t}, "value": t.lower()}
        for t in ("Presenter", "Attendee")
    ]
    element = {
        "type": "static_select",
        "action_id": "pick",
        "options": options,
        "initial_option": options[1],
    }
    block = _input(
        "Role", "role", element, hint={"type": "plain_text", "text": "Attendee is the default"}
    )

    assert render_blocks([block]).splitlines() == [
        "Role [role.pick]: static_select = Attendee choices: Presenter | Attendee",
        "  hint: Attendee is the default",
    ]


def test_an_empty_input_shows_its_placeholder() -> None:
    element = {
        "type": "plain_text_input",
        "action_id": "t",
        "placeholder": {"type": "plain_text", "text": "Weekly sync"},
    }

    assert (
        render_blocks([_input("Title", "title", element)])
        == "Title [title.t]: plain_text_input (Weekly sync)"
    )


def test_a_message_with_blocks_shows_the_blocks_not_the_fallback_text() -> None:
    message = {"text": "fallback", "blocks": [_section("Room *ready*")]}

    assert render_message(message) == "Room *ready*"


def test_a_message_without_blocks_shows_its_text() -> None:
    assert render_message({"text": "Hi <@U06CHO1003>"}, names=NAMES) == "Hi @cho"


def test_a_modal_shows_title_blocks_and_its_buttons() -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Create room"},
        "submit": {"type": "plain_text", "text": "Create"},
        "blocks": [_input("Title", "title", {"type": "plain_text_input", "action_id": "text"})],
    }

    assert render_view(view).splitlines() == [
        "== Create room ==",
        "Title [title.text]: plain_text_input",
        "[Cancel] (close)  [Create] (submit)",
    ]


def test_a_home_tab_is_headed_home() -> None:
    view = {"type": "home", "blocks": [_section("No rooms yet")]}

    assert render_view(view) == "== Home ==\nNo rooms yet"


def test_an_unknown_block_is_named_not_dropped() -> None:
    assert render_blocks([{"type": "video"}]) == "[video block]"
