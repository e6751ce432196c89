"""The session-wide secret scan (tests/support/secret_scan.py) finds leaks and names them."""

from __future__ import annotations

from pathlib import Path

import pytest

from slack_standin.calls import SlackCall
from tests.support.secret_scan import (
    ACS_KEY,
    ACS_TOKEN,
    SIGNING_SECRET,
    SLACK_TOKEN,
    Leak,
    SecretScanner,
    slack_call_text,
)

ROOT = Path(__file__).resolve().parents[3]
# Built at run time so this file's own text never holds a token-shaped string.
FAKE_BOT_TOKEN = "-".join(["xoxb", "2718281828", "3141592653", "Zm9vYmFyYmF6cXV4"])
FAKE_JWT = ".".join(["eyJhbGciOiJIUzI1NiJ9", "eyJza3lwZUlkIjoiYWNzIn0", "c2lnbmF0dXJlLXBhcnQ"])
FAKE_KEY = "S2V5Rm9yVGhlU2Nhbm5lclRlc3RPbmx5MTIzNDU2Nzg="


def kinds(scanner: SecretScanner) -> set[str]:
    return {leak.kind for leak in scanner.leaks()}


def test_clean_text_has_no_leaks() -> None:
    scanner = SecretScanner()
    scanner.add_text(
        "t", "stdout", "Room #1 is ready · xoxb- tokens look like xoxb-… · accesskey=local"
    )
    assert scanner.leaks() == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"posting with {FAKE_BOT_TOKEN}", SLACK_TOKEN),
        ("app token xapp-1-A0ROOMBOT-1-abcdef", SLACK_TOKEN),
        ("refresh xoxe-1-0123456789abcdef", SLACK_TOKEN),
        (f"endpoint=http://127.0.0.1:1/;accesskey={FAKE_KEY}", ACS_KEY),
        (f"Authorization: Bearer {FAKE_JWT}", ACS_TOKEN),
    ],
)
def test_a_secret_shaped_string_is_a_leak(text: str, kind: str) -> None:
    scanner = SecretScanner()
    scanner.add_text("tests/x.py::test_y", "Captured log call", text)
    assert scanner.leaks() == [Leak("tests/x.py::test_y", "Captured log call", kind)]


def test_a_known_secret_value_is_a_leak_in_any_form() -> None:
    scanner = SecretScanner()
    scanner.add_secret(f"endpoint=http://127.0.0.1:1/;accesskey={FAKE_KEY}", ACS_KEY)
    scanner.add_secret("a-signing-secret-value", SIGNING_SECRET)
    scanner.add_text("t1", "stdout", f"hmac key is {FAKE_KEY} (bare, no accesskey=)")
    scanner.add_text("t2", "slack chat.postMessage", '{"text": "a-signing-secret-value"}')
    assert set(scanner.leaks()) == {
        Leak("t1", "stdout", ACS_KEY),
        Leak("t2", "slack chat.postMessage", SIGNING_SECRET),
    }


def test_the_leak_report_never_repeats_the_secret() -> None:
    scanner = SecretScanner()
    scanner.add_text("t", "stderr", FAKE_BOT_TOKEN)
    assert FAKE_BOT_TOKEN not in "\n".join(str(leak) for leak in scanner.leaks())


def test_short_values_are_not_taken_for_secrets() -> None:
    scanner = SecretScanner()
    scanner.add_secret("s", SIGNING_SECRET)
    scanner.add_text("t", "stdout", "signed with s")
    assert scanner.leaks() == []


def test_a_message_body_sent_to_slack_is_scanned_but_the_oauth_exchange_is_not() -> None:
    post = SlackCall("chat.postMessage", {"text": FAKE_BOT_TOKEN}, token=None, at=0.0)
    oauth = SlackCall("oauth.v2.access", {"client_secret": "x" * 32}, token=None, at=0.0)
    assert FAKE_BOT_TOKEN in str(slack_call_text(post))
    assert slack_call_text(oauth) is None


LEAKY_TESTS = f"""
import logging

def test_prints_a_token():
    print("token: {FAKE_BOT_TOKEN}")

def test_logs_an_acs_key_at_info():
    logging.getLogger("roombot").info("connected with accesskey={FAKE_KEY}")

def test_is_quiet():
    print("nothing to see")
"""
PLUGIN_CONFTEST = 'pytest_plugins = ["tests.support.secret_scan"]\n'


def test_a_session_whose_tests_leak_fails_and_names_each_leak(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its own process: in-process, the leaky log record would also reach this session's capture.
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest(PLUGIN_CONFTEST)
    pytester.makepyfile(test_leaky=LEAKY_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*secret scan: secrets leaked*",
            f"{SLACK_TOKEN} in Captured stdout call of test_leaky.py::test_prints_a_token",
            f"{ACS_KEY} in Captured log call of test_leaky.py::test_logs_an_acs_key_at_info",
        ]
    )
    assert "test_is_quiet" not in result.stdout.str().split("secrets leaked")[-1]
    assert FAKE_BOT_TOKEN not in result.stdout.str()


def test_a_clean_session_passes(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(PLUGIN_CONFTEST)
    pytester.makepyfile(test_clean="def test_ok():\n    print('Room #1 is ready')\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.OK
    assert "secret scan" not in result.stdout.str()
