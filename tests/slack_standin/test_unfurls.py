"""Join-link unfurls through a real Bolt app: which links Slack shares, link_shared, and
chat.unfurl with Slack's refusals; the console's rendering of an unfurl."""

from __future__ import annotations

from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import RunningStandin
from slack_standin.bolt_sender import LocalSlack
from slack_standin.render import render_message

SECRET = "signing-secret"
JOIN = "https://roombot.example.com/r/k3y"
CARD = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Team sync* · 3 invited"}}]


def _slack(standin: RunningStandin, seen: list[dict[str, Any]], **how: Any) -> LocalSlack:
    client = WebClient(token=standin.bot_token, base_url=standin.base_url)
    app = App(client=client, signing_secret=SECRET, process_before_response=True)

    @app.event("link_shared")
    def unfurl(event: dict[str, Any], client: WebClient) -> None:
        seen.append(event)
        target = how or {"channel": event["channel"], "ts": event["message_ts"]}
        unfurls = {link["url"]: {"blocks": CARD} for link in event["links"]}
        client.chat_unfurl(**target, unfurls=unfurls)

    return LocalSlack(app, signing_secret=SECRET, team_id="T0DEMO", standin=standin)


def _error(call: Any) -> str:
    with pytest.raises(SlackApiError) as refused:
        call()
    return str(refused.value.response["error"])


def test_slack_shares_the_links_on_the_unfurl_domains_and_their_subdomains(
    standin: RunningStandin,
) -> None:
    text = (
        f"<{JOIN}> <https://eu.roombot.example.com/r/a?x=1&amp;y=2|Join> <{JOIN}|again> "
        "<https://roombot.example.com.evil.example/r/b> <https://example.org/r/c> <@U06ANA1001>"
    )

    assert standin.links_in(text) == [
        {"domain": "roombot.example.com", "url": JOIN},
        {"domain": "roombot.example.com", "url": "https://eu.roombot.example.com/r/a?x=1&y=2"},
    ]


def test_a_typed_link_is_stored_as_slack_stores_it(standin: RunningStandin) -> None:
    ts = standin.post_user_message("design", "ana", f"Join here: {JOIN}.")

    (message,) = standin.messages("design")
    assert (message["ts"], message["text"]) == (ts, f"Join here: <{JOIN}>.")


def test_the_app_unfurls_a_shared_join_link(standin: RunningStandin) -> None:
    seen: list[dict[str, Any]] = []
    ts = _slack(standin, seen).post_with_links(channel="design", user_id="ana", text=f"see {JOIN}")

    (event,) = seen
    assert (event["type"], event["channel"], event["user"]) == (
        "link_shared",
        "C0DESIGN",
        "U06ANA1001",
    )
    assert (event["message_ts"], event["source"], event["is_bot_user_member"]) == (
        ts,
        "conversations_history",
        True,
    )
    assert event["links"] == [{"domain": "roombot.example.com", "url": JOIN}]
    assert standin.unfurls("design", ts) == {JOIN: {"blocks": CARD}}
    (message,) = standin.messages("design")
    assert message["attachments"][0]["app_unfurl_url"] == JOIN
    assert render_message(message).splitlines()[1:] == ["| *Team sync* · 3 invited"]


def test_the_app_may_unfurl_by_unfurl_id_and_source(standin: RunningStandin) -> None:
    seen: list[dict[str, Any]] = []
    slack = _slack(standin, seen)
    ts = standin.post_user_message("general", "ben", f"{JOIN}")
    share = standin.share_links("general", ts, [JOIN])
    slack.app.client.chat_unfurl(
        unfurl_id=share.unfurl_id, source="conversations_history", unfurls={JOIN: {"text": "Sync"}}
    )

    assert standin.unfurls("general", ts) == {JOIN: {"text": "Sync"}}


def test_a_url_that_was_not_shared_is_refused(standin: RunningStandin, slack: WebClient) -> None:
    ts = _slack(standin, []).post_with_links(channel="design", user_id="ana", text=JOIN)
    other = "https://roombot.example.com/r/other"

    call = lambda: slack.chat_unfurl(channel="C0DESIGN", ts=ts, unfurls={other: {"blocks": CARD}})  # noqa: E731

    assert _error(call) == "cannot_unfurl_url"
    assert standin.unfurls("design", ts) == {JOIN: {"blocks": CARD}}


def test_unfurling_without_links_write_is_refused(
    standin: RunningStandin, slack: WebClient
) -> None:
    ts = standin.post_user_message("design", "ana", JOIN)
    standin.share_links("design", ts, [JOIN])
    standin.workspace.withhold_scopes("links:write")

    refusal = _error(
        lambda: slack.chat_unfurl(channel="C0DESIGN", ts=ts, unfurls={JOIN: {"text": "x"}})
    )

    assert refusal == "missing_scope"


def test_unfurl_blocks_are_checked_as_in_messages(
    standin: RunningStandin, slack: WebClient
) -> None:
    ts = standin.post_user_message("design", "ana", JOIN)
    standin.share_links("design", ts, [JOIN])
    bad = [{"type": "header", "text": {"type": "mrkdwn", "text": "*Room*"}}]

    with pytest.raises(SlackApiError) as refused:
        slack.chat_unfurl(channel="C0DESIGN", ts=ts, unfurls={JOIN: {"blocks": bad}})

    assert refused.value.response["error"] == "invalid_arguments"
    reason = refused.value.response["response_metadata"]["messages"][0]
    assert "/unfurls/https:~1~1roombot.example.com~1r~1k3y/blocks/0" in reason


def test_an_unfurl_of_nothing_and_a_missing_message_are_refused(
    standin: RunningStandin, slack: WebClient
) -> None:
    ts = standin.post_user_message("design", "ana", JOIN)
    standin.share_links("design", ts, [JOIN])

    assert _error(lambda: slack.chat_unfurl(channel="C0DESIGN", ts=ts, unfurls={JOIN: {}})) == (
        "cannot_parse_attachment"
    )
    assert _error(lambda: slack.chat_unfurl(channel="C0DESIGN", ts="1.000100", unfurls={})) == (
        "cannot_find_message"
    )


def test_the_sender_refuses_links_slack_would_not_share(standin: RunningStandin) -> None:
    slack = _slack(standin, [])
    ts = standin.post_user_message("design", "ana", "see https://example.org/r/x")

    with pytest.raises(ValueError, match="shares no"):
        slack.link_shared(channel="design", user_id="ana", message_ts=ts, links=[JOIN])
