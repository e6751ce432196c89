"""tests/support/browser.py: a browser test without its browser skips locally, fails in CI."""

from __future__ import annotations

import pytest

from tests.support.browser import unavailable


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
