"""Any `/room` text through the real Bolt app: no exception escapes, every answer is private."""

from __future__ import annotations

import json
import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.grammar.usage import USAGE
from bot.listeners.guard import SORRY
from tests.support.slack_stack import Stack

_EDGE_EXAMPLES = int(os.environ.get("ROOMBOT_EDGE_FUZZ_EXAMPLES", "200"))
_WORDS = [
    *USAGE,
    *[
        "for",
        "until",
        "from",
        "at",
        "by",
        "since",
        "on",
        "off",
        "mine",
        "all",
        "presenter",
        "attendee",
        "consumer",
        "tomorrow",
        "9am",
        "30m",
        "1h",
        "7d",
        "#1",
        "#2",
        "#999999999",
        "99410424610840801",
        "<@U06BEN1002>",
        "<@U06CHO1003>",
        "<@U0NOBODY>",
        "<#C0GENERAL>",
        "<!subteam^S0DESIGN>",
        "<!channel>",
        "<!here>",
        "<http://x.example|x>",
        "@ben",
        "&amp;",
        "<",
        ">",
        '"quoted',
        'title"',
        "“curly",
    ],
]
_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(_WORDS) | st.text(max_size=5), max_size=12).map(" ".join),
)


def _private(call_args: dict[str, object]) -> bool:
    return call_args.get("response_type", "ephemeral") == "ephemeral"


@settings(
    max_examples=_EDGE_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=_TEXT)
def test_any_command_text_is_answered_privately_and_nothing_escapes(
    stack: Stack, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    stack.standin.clear()
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        response = stack.run(f"/room {text}", user="ben")
    assert response.status == 200
    ack = json.loads(str(response.body) or "{}")
    assert _private(ack)
    replies = [c.args for c in stack.standin.calls("response_url")]
    assert all(_private(args) for args in replies)
    assert not [r for r in replies if SORRY in json.dumps(r)]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
