"""tests/support/browser.py: only localhost is reachable, and a browser test without its browser
skips locally but fails in CI."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.support.browser import unavailable

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_a_missing_browser_skips_a_test_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        unavailable("no Chromium: apt-get install -y chromium")


@pytest.mark.parametrize("value", ["false", "1", ""])
def test_only_ci_true_turns_the_skip_into_a_failure(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception):
        unavailable("no Chromium")


def test_in_ci_a_browser_test_that_cannot_run_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"no Chromium .*CI=true"):
        unavailable("no Chromium")


FETCH = "url => fetch(url).then(() => 'answered', () => 'failed')"


def test_the_context_refuses_every_host_but_localhost(
    page: Page, blocked_urls: list[str], closed_port: int
) -> None:
    assert page.evaluate(FETCH, "https://ecs.communication.microsoft.com/config") == "failed"
    # localhost goes through (and finds nothing listening); it is not on the blocked list.
    assert page.evaluate(FETCH, f"http://localhost:{closed_port}/") == "failed"
    assert blocked_urls == ["https://ecs.communication.microsoft.com/config"]
