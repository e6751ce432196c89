"""Browser tests offline: Debian's Chromium under Playwright, where only localhost answers.

Registered from tests/conftest.py. Fixtures:

- `browser`: one headless Chromium for the session (/usr/bin/chromium; Playwright downloads none),
  with fake camera and microphone that need no permission prompt.
- `browser_context` / `page`: a fresh context per test that aborts every request to a host other
  than localhost and lists it in `blocked_urls`; the Calling SDK calls hard-coded Microsoft
  hosts (shared/reference/JOIN.md §1.5), and a test must never reach them.
- `vendor_build`: the vendored Calling SDK that bot/web/build.mjs writes.

Serve pages from http://localhost:<port>, never 127.0.0.1: the SDK refuses to run outside a
secure context, and only the name localhost counts as one over plain HTTP (JOIN.md §1.5).

Without Chromium or the vendor build a test skips, saying how to get them, except when CI is
"true": a browser test that cannot run there fails, so CI never passes without running it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urlsplit

import pytest

from bot.web.vendor import VendorBuild, VendorBuildError, load_vendor

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    # DNS answers NOTFOUND for every name but localhost: nothing leaves the machine, not even
    # what Playwright's routing cannot see (WebSockets, the browser's own background fetches).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    # getUserMedia gets fake devices at once, with no permission prompt to click through.
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
)
# The ACS emulator answers on 127.0.0.1 (the demo adapter calls its calling surface there).
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})


def unavailable(reason: str) -> NoReturn:
    """Skip the test, or fail it in CI, where every browser test must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run here, not skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def vendor_build() -> VendorBuild:
    try:
        return load_vendor()
    except VendorBuildError as error:
        unavailable(str(error))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    # Imported here, not at the top: every pytest run loads this plugin, and Playwright's
    # import costs ~0.4 s that only browser tests should pay.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def blocked_urls() -> list[str]:
    """The URLs this test's browser context asked for and was refused (not localhost)."""
    return []


@pytest.fixture
def browser_context(browser: Browser, blocked_urls: list[str]) -> Iterator[BrowserContext]:
    context = browser.new_context()

    def only_localhost(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
            return
        blocked_urls.append(url)
        route.abort("blockedbyclient")

    context.route("**/*", only_localhost)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    return browser_context.new_page()
