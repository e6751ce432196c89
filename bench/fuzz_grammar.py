"""Fuzz the `/room` grammar: N generated lines (default 100,000); prints examples/s and failures.

    uv run python bench/fuzz_grammar.py [N]

The normal suite runs 1,000 of these (tests/bot/grammar/test_parser.py;
ROOMBOT_FUZZ_EXAMPLES raises it).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from datetime import datetime
from typing import get_args
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.grammar.parser import parse_command
from bot.grammar.typed_commands import Command, UsageError
from bot.grammar.usage import USAGE

NOW = datetime(2026, 6, 10, 10, 30, tzinfo=ZoneInfo("America/New_York"))
WORDS = [
    *USAGE,
    *[
        "as",
        "for",
        "until",
        "to",
        "from",
        "at",
        "by",
        "since",
        "action",
        "on",
        "off",
        "mine",
        "all",
        "and",
        "pstn",
        "presenter",
        "attendees",
        "consumer",
        "collaborator",
        "tomorrow",
        "today",
        "friday",
        "next",
        "noon",
        "in",
        "ago",
        "9am",
        "14:00",
        "25:00",
        "2026-12-01",
        "30m",
        "1h30m",
        "0m",
        "-1h",
        "90",
        "min",
        "#12",
        "12",
        "#0",
        "99410424610840801",
        "@ana",
        "@",
        "@here",
        ",",
        "“",
        "”",
        '"',
        "<@U123ABC>",
        "<@U123ABC|ana>",
        "<@W1>",
        "<!subteam^S1|@d>",
        "<#C1|g>",
        "<#C1>",
        "<!here>",
        "<!channel>",
        "<@",
        "<#",
        "<>",
        "<",
        ">",
        "<http://x.example|x>",
        "&amp;",
    ],
]
TEXT = st.one_of(
    st.text(),
    st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=24).map(" ".join),
)
RESULTS = (*get_args(Command), UsageError)


def main(examples: int) -> int:
    failures: list[str] = []
    counted = [0]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(text=TEXT, zone=st.sampled_from([ZoneInfo("UTC"), ZoneInfo("Asia/Tokyo")]))
    def fuzz(text: str, zone: ZoneInfo) -> None:
        counted[0] += 1
        result = parse_command(text, now=NOW, tz=zone)
        assert isinstance(result, RESULTS), result

    started = time.perf_counter()
    try:
        fuzz()
    except Exception:
        failures.append(traceback.format_exc())
    seconds = time.perf_counter() - started
    print(
        f"grammar fuzz: {counted[0]:,} examples in {seconds:.1f} s "
        f"({counted[0] / seconds:,.0f} examples/s), {len(failures)} failing"
    )
    for failure in failures:
        print(failure)
    return 1 if failures else 0


def examples_wanted() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "examples", nargs="?", type=int, default=100_000, help="how many (default 100,000)"
    )
    return int(parser.parse_args().examples)


if __name__ == "__main__":
    sys.exit(main(examples_wanted()))
