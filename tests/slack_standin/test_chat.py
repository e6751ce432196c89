from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin


def _error_of(failure: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(failure.value.response["error"])


def test_post_message_answers_with_channel_ts_and_the_message(slack: WebClient) -> None:
    posted = slack.chat_postMessage(channel="C0DESIGN", text="Room ready")

    assert posted["channel"] == "C0DESIGN"
    assert posted["ts"] == "1700000000.000100"
    assert posted["message"]["text"] == "Room ready"
    assert posted["message"]["bot_id"] == "B06RMB1000"


def test_message_timestamps_are_unique_and_increasing(slack: WebClient) -> None:
    stamps = [slack.chat_postMessage(channel="C0DESIGN", text=str(i))["ts"] for i in range(3)]

    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 3


def test_a_posted_message_appears_in_the_channel_history(
    slack: WebClient, standin: RunningStandin
) -> None:
    slack.chat_postMessage(channel="C0DESIGN", text="hello", blocks=[{"type": "divider"}])

    [message] = standin.messages("design")
    assert (message["text"], message["blocks"]) == ("hello", [{"type": "divider"}])


def test_a_thread_reply_is_kept_and_counted_on_its_parent(
    slack: WebClient, standin: RunningStandin
) -> None:
    parent = slack.chat_postMessage(channel="C0DESIGN", text="card")["ts"]

    reply = slack.chat_postMessage(channel="C0DESIGN", text="extended", thread_ts=parent)

    first, second = standin.messages("C0DESIGN")
    assert reply["message"]["thread_ts"] == parent
    assert (first["reply_count"], second["thread_ts"]) == (1, parent)


def test_a_reply_to_a_missing_parent_is_refused(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.chat_postMessage(channel="C0DESIGN", text="lost", thread_ts="1600000000.000100")

    assert _error_of(failure) == "thread_not_found"


def test_posting_to_an_unknown_channel_fails_with_channel_not_found(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.chat_postMessage(channel="C0NOPE", text="hi")

    assert _error_of(failure) == "channel_not_found"


def test_posting_to_a_private_channel_without_the_bot_fails_with_not_in_channel(
    slack: WebClient,
) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.chat_postMessage(channel="C0LEADS", text="hi")

    assert _error_of(failure) == "not_in_channel"


def test_posting_to_an_archived_channel_fails_with_is_archived(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.chat_postMessage(channel="C0OLDPROJ", text="hi")

    assert _error_of(failure) == "is_archived"


def test_a_public_channel_takes_posts_without_membership_thanks_to_chat_write_public(
    slack: WebClient,
) -> None:
    assert slack.chat_postMessage(channel="C0GENERAL", text="hi")["ok"] is True


def test_without_chat_write_public_a_public_channel_needs_membership(
    slack: WebClient, standin: RunningStandin
) -> None:
    standin.workspace.scopes.remove("chat:write.public")

    with pytest.raises(SlackApiError) as failure:
        slack.chat_postMessage(channel="C0GENERAL", text="hi")

    assert _error_of(failure) == "not_in_channel"


def test_posting_to_a_user_id_lands_in_the_bots_dm(
    slack: WebClient, standin: RunningStandin
) -> None:
    posted = slack.chat_postMessage(channel="U06BEN1002", text="psst")

    assert posted["channel"] == "D06BEN1002"
    assert standin.messages("ben")[0]["text"] == "psst"


def test_a_message_without_text_or_blocks_is_refused(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.api_call("chat.postMessage", json={"channel": "C0DESIGN"})

    assert _error_of(failure) == "no_text"


def test_update_replaces_the_message_in_place_and_marks_it_edited(
    slack: WebClient, standin: RunningStandin
) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", text="v1")["ts"]

    updated = slack.chat_update(channel="C0DESIGN", ts=ts, text="v2")

    [message] = standin.messages("C0DESIGN")
    assert (updated["ts"], message["text"]) == (ts, "v2")
    assert message["edited"]["user"] == "U06RMB1000"


def test_updating_a_message_that_does_not_exist_fails_with_message_not_found(
    slack: WebClient,
) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.chat_update(channel="C0DESIGN", ts="1600000000.000100", text="v2")

    assert _error_of(failure) == "message_not_found"


def test_the_bot_cannot_update_a_persons_message(slack: WebClient, standin: RunningStandin) -> None:
    ts = standin.post_user_message("design", "ana", "my words")

    with pytest.raises(SlackApiError) as failure:
        slack.chat_update(channel="C0DESIGN", ts=ts, text="yours now")

    assert _error_of(failure) == "cant_update_message"


def test_post_ephemeral_returns_message_ts_and_only_that_user_sees_it(
    slack: WebClient, standin: RunningStandin
) -> None:
    answer = slack.chat_postEphemeral(channel="C0DESIGN", user="U06BEN1002", text="only you")

    [seen] = standin.ephemerals("ben")
    assert (seen["ts"], seen["text"], seen["channel"]) == (
        answer["message_ts"],
        "only you",
        "C0DESIGN",
    )
    assert standin.ephemerals("ana") == []
    assert standin.messages("C0DESIGN") == []


def test_an_ephemeral_to_someone_outside_the_channel_fails(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.chat_postEphemeral(channel="C0DESIGN", user="U06DEV1004", text="hi")

    assert _error_of(failure) == "user_not_in_channel"


def test_delete_removes_the_message(slack: WebClient, standin: RunningStandin) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", text="oops")["ts"]

    slack.chat_delete(channel="C0DESIGN", ts=ts)

    assert standin.messages("C0DESIGN") == []


def test_deleting_twice_fails_with_message_not_found(slack: WebClient) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", text="oops")["ts"]
    slack.chat_delete(channel="C0DESIGN", ts=ts)

    with pytest.raises(SlackApiError) as failure:
        slack.chat_delete(channel="C0DESIGN", ts=ts)

    assert _error_of(failure) == "message_not_found"


def test_get_permalink_points_into_the_workspace(slack: WebClient) -> None:
    ts = slack.chat_postMessage(channel="C0DESIGN", text="card")["ts"]

    link = slack.chat_getPermalink(channel="C0DESIGN", message_ts=ts)["permalink"]

    assert link == "https://democo.slack.com/archives/C0DESIGN/p1700000000000100"


def test_get_permalink_of_a_missing_message_fails(slack: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        slack.chat_getPermalink(channel="C0DESIGN", message_ts="1600000000.000100")

    assert _error_of(failure) == "message_not_found"
