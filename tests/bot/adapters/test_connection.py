"""Connection strings and endpoints: parsed by RoomBot, scheme kept, key never echoed."""

from __future__ import annotations

import re

import pytest

from bot.adapters.connection import normalise_endpoint, parse_connection_string
from bot.services.errors import ConfigurationError

KEY = "c2VjcmV0LWtleS1mb3ItdGVzdHM="  # base64 of "secret-key-for-tests"


def test_a_portal_connection_string_gives_endpoint_without_slash_and_key() -> None:
    parsed = parse_connection_string(f"endpoint=https://x.communication.azure.com/;accesskey={KEY}")
    assert (parsed.endpoint, parsed.access_key) == ("https://x.communication.azure.com", KEY)


def test_an_http_endpoint_stays_http() -> None:
    parsed = parse_connection_string(f"endpoint=http://127.0.0.1:8123/;accesskey={KEY}")
    assert parsed.endpoint == "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    "text",
    [
        f"accesskey={KEY};endpoint=https://x.communication.azure.com/",
        f"Endpoint=https://x.communication.azure.com/;AccessKey={KEY}",
        f"  endpoint = https://x.communication.azure.com/ ;  accesskey = {KEY} ; ",
        f";endpoint=HTTPS://x.communication.azure.com;accesskey={KEY};;",
    ],
)
def test_order_case_spaces_and_stray_semicolons_are_tolerated(text: str) -> None:
    parsed = parse_connection_string(text)
    assert (parsed.endpoint, parsed.access_key) == ("https://x.communication.azure.com", KEY)


def test_an_endpoint_without_scheme_means_https_as_in_the_sdks() -> None:
    assert normalise_endpoint("x.communication.azure.com") == "https://x.communication.azure.com"


def test_the_key_is_left_out_of_the_repr() -> None:
    parsed = parse_connection_string(f"endpoint=https://x.communication.azure.com/;accesskey={KEY}")
    assert KEY not in repr(parsed)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        (f"accesskey={KEY}", "no endpoint"),
        ("endpoint=https://x.communication.azure.com/", "no accesskey"),
        ("endpoint=https://x.communication.azure.com/;accesskey", "without '='"),
        (f"endpoint=ftp://x/;accesskey={KEY}", "not an http(s) URL"),
        (f"endpoint=https://x.communication.azure.com/rooms;accesskey={KEY}", "no path"),
        ("endpoint=https://x.communication.azure.com/;accesskey=not base64!", "not valid base64"),
        (f"endpoint=https://a/;endpoint=https://b/;accesskey={KEY}", "twice"),
    ],
)
def test_a_malformed_connection_string_names_the_problem(text: str, problem: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(problem)):
        parse_connection_string(text)


@pytest.mark.parametrize(
    "text",
    [
        f"endpoint=https://x.communication.azure.com/;{KEY}",
        f"endpoint=https://x.communication.azure.com/;accesskey{KEY}",
        f"endpoint=ftp://x/;accesskey={KEY}",
        f"endpoint=https://x/path;accesskey={KEY}",
        "endpoint=https://x/;accesskey=!!" + KEY,
    ],
)
def test_a_configuration_error_never_contains_the_key(text: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        parse_connection_string(text)
    assert KEY not in str(caught.value)
    assert "\n" not in caught.value.message
