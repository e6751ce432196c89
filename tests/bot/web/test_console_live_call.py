"""In `roombot console`, joining from the page turns the card live and leaving ends the call,
through the production path: the page's demo adapter joins on the ACS emulator's calling
surface, the emulator plays Event Grid to the console's own webhook, and the live-call loop
updates the card in the Slack stand-in. A real headless Chromium drives the page."""

from __future__ import annotations

import re
import time
import urllib.request
from collections.abc import Callable
from http.cookiejar import CookieJar
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from bot.run_modes.process import Process
from slack_standin import RunningStandin
from tests.bot.web.test_console_join import join_link, redirected
from tests.bot.web.test_join_page_browser import expect
from tests.slack_standin.signin_flow import choices, visit

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

    from bot.web.vendor import VendorBuild


def session_cookie(standin: RunningStandin, link: str, user: str) -> Any:
    """Sign in through the stand-in's pages (not on localhost, so outside the browser)."""
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    start = link.split("/r/")[0] + "/auth/slack/start?next=/r/" + link.split("/r/")[1]
    to_slack = redirected(jar, start)
    chosen = visit(urljoin(to_slack, choices(visit(to_slack))[standin.workspace.user(user).id]))
    assert chosen.location is not None
    browser.open(chosen.location).read()
    return next(c for c in jar if c.name == "roombot_session")


def card_context(standin: RunningStandin) -> str:
    card = standin.messages("general")[0]
    return " ".join(
        str(e.get("text", ""))
        for b in card["blocks"]
        if b["type"] == "context"
        for e in b["elements"]
    )


def until(check: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_joining_from_the_page_turns_the_card_live_and_leaving_ends_the_call(
    console: tuple[Process, RunningStandin],
    browser_context: BrowserContext,
    vendor_build: VendorBuild,
) -> None:
    process, standin = console
    link = join_link(process, standin)  # ana's room; she organizes it and is its presenter
    cookie = session_cookie(standin, link, "ana")
    root = link.split("/r/")[0]  # the cookie's path is the site's root, as RoomBot sets it
    browser_context.add_cookies([{"name": cookie.name, "value": cookie.value, "url": root}])
    page = browser_context.new_page()
    page.goto(link)
    expect(page.locator("#role")).to_have_text("Your role: Presenter")
    ana = standin.workspace.user("ana").id
    until(lambda: "1 in the call" in card_context(standin))
    assert f"<@{ana}>" in card_context(standin)
    assert re.search(r"Live\* since", card_context(standin))

    page.click("#leave")
    expect(page.locator("#outcome-title")).to_have_text("You left the call")
    until(lambda: "Last call" in card_context(standin))
    assert "1 person" in card_context(standin)
    until(lambda: [c.ended for c in standin.slack_calls()] == [True])  # calls.end follows
