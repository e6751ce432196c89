"""Text a person types reaches the app as Slack sends it: escaped, names as references."""

from __future__ import annotations

from slack_standin import demo_workspace
from slack_standin.typed_text import as_slack_sends


def test_the_three_control_characters_arrive_as_entities() -> None:
    assert as_slack_sends("R&D <core> \"q\" 'x'") == "R&amp;D &lt;core&gt; \"q\" 'x'"


def test_an_entity_typed_by_the_person_is_escaped_again() -> None:
    assert as_slack_sends("&lt;") == "&amp;lt;"


def test_known_people_groups_and_channels_become_references() -> None:
    sent = as_slack_sends("@ana @design #design", demo_workspace())
    assert sent == "<@U06ANA1001|ana> <!subteam^S0DESIGN|@design> <#C0DESIGN|design>"


def test_unknown_names_and_room_numbers_stay_plain_text() -> None:
    assert as_slack_sends("@nobody #12 #nowhere", demo_workspace()) == "@nobody #12 #nowhere"


def test_a_reference_picked_from_the_list_is_sent_as_it_is() -> None:
    assert as_slack_sends("<@U06BEN1002> & <#C0DESIGN>") == "<@U06BEN1002> &amp; <#C0DESIGN>"


def test_punctuation_after_a_name_is_not_part_of_it() -> None:
    assert as_slack_sends("@ben, @cho.", demo_workspace()) == (
        "<@U06BEN1002|ben>, <@U06CHO1003|cho>."
    )


def test_broadcasts_become_special_mentions() -> None:
    assert as_slack_sends("@here", demo_workspace()) == "<!here>"
