"""The join page in a real headless Chromium, served by RoomBot's own HTTP server on
http://localhost, signed in through the stand-in's Sign in with Slack; the calling adapter is
swapped for a scripted one (no local service can carry an ACS call)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.run_modes.http_server import HttpServer
from bot.services.domain import Role
from bot.services.join_passes import PassHolder
from slack_standin import RunningStandin
from tests.bot.web.join_site import Site, join_services, make_site

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page


def expect(locator: Any) -> Any:
    """Playwright's own waiting assertions (imported late, like the browser fixture does):
    the page's CSP forbids the eval that wait_for_function would need."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


# A calling adapter that plays `window.RoomBotScript`: the events a real call would send.
FAKE_ADAPTER = """
window.RoomBotCallingOverride = {
  async join(grant) {
    window.RoomBotGrant = { roomId: grant.roomId, role: grant.role, hasToken: !!grant.token };
    const handlers = {};
    const emit = (name, ...v) => (handlers[name] || []).forEach((h) => h(...v));
    const call = {
      on(name, h) { (handlers[name] = handlers[name] || []).push(h); },
      hangUp() { emit("state", "Disconnected", { code: 0, subCode: 0 }); },
      async setMic() {}, async setCamera() {}, async setShare() {},
    };
    setTimeout(async () => {
      for (const [name, ...values] of window.RoomBotScript) {
        if (name === "refresh") {
          window.RoomBotRefreshed = (await grant.refresh()).token.length > 0;
          continue;
        }
        emit(name, ...values);
      }
    }, 0);
    return call;
  },
};
"""
COUNT_MEDIA = """
window.RoomBotMediaAsks = 0;
if (navigator.mediaDevices) {
  const ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (c) => { window.RoomBotMediaAsks += 1; return ask(c); };
}
"""


@dataclass
class Served:
    site: Site
    url: str


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=11)) as running:
        yield running


@contextmanager
def serving_site(
    engine: Engine, emulator: RunningEmulator, standin: RunningStandin, **overrides: Any
) -> Iterator[Served]:
    server = HttpServer(host="localhost", port=0)
    url = f"http://localhost:{server.port}"
    services = join_services(engine, emulator, roombot_public_url=url)
    site = make_site(standin, services, roombot_public_url=url, **overrides)
    server.start(site.client.application)
    try:
        yield Served(site, url)
    finally:
        server.stop(grace_s=1)
        services.close()


@pytest.fixture
def served(engine: Engine, emulator: RunningEmulator, standin: RunningStandin) -> Iterator[Served]:
    with serving_site(engine, emulator, standin) as site:
        yield site


@pytest.fixture
def demo_served(
    engine: Engine, emulator: RunningEmulator, standin: RunningStandin
) -> Iterator[Served]:
    """ACS is RoomBot's local emulator: the page plays its demo call."""
    local = SecretStr(emulator.connection_string)  # an endpoint on this machine: the emulator
    with serving_site(engine, emulator, standin, acs_connection_string=local) as site:
        yield site


def signed_in_page(
    served: Served, context: BrowserContext, user: str, key: str, *, scripted: bool = True
) -> Page:
    """Sign in as `user` (the stand-in's pages are not on localhost, so outside the browser),
    then hand the session cookie to the browser."""
    served.site.sign_in(user, f"/r/{key}")
    cookie = served.site.client.get_cookie("roombot_session")
    assert cookie is not None
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": served.url}])
    page = context.new_page()
    page.add_init_script((FAKE_ADAPTER if scripted else "") + COUNT_MEDIA)
    return page


def play(page: Page, url: str, script: list[list[Any]]) -> None:
    page.add_init_script(f"window.RoomBotScript = {json.dumps(script)};")
    page.goto(url)


def test_connected_the_page_shows_the_role_the_count_and_the_roles_controls(
    served: Served, browser_context: BrowserContext
) -> None:
    room = served.site.room(members={served.site.user_id("ben"): Role.ATTENDEE})
    page = signed_in_page(served, browser_context, "ben", room.join_key)
    play(
        page,
        f"{served.url}/r/{room.join_key}",
        [
            ["state", "Connecting"],
            ["state", "Connected"],
            ["participants", 3],
            ["role", "Attendee"],
            ["capabilities", {"unmuteMic": True, "turnVideoOn": True, "shareScreen": False}],
        ],
    )
    expect(page.locator("#status")).to_have_text("In the call")
    assert page.text_content("#role") == "Your role: Attendee"
    assert page.text_content("#participants") == "3 in the call"
    assert [page.is_visible(f"#{b}") for b in ("mic", "camera", "share", "leave")] == [
        True,
        True,
        False,
        True,
    ]
    grant = page.evaluate("window.RoomBotGrant")
    assert grant == {"roomId": room.acs_room_id, "role": "Attendee", "hasToken": True}


def test_while_the_role_is_unknown_no_control_shows(
    served: Served, browser_context: BrowserContext
) -> None:
    room = served.site.room(members={served.site.user_id("ben"): Role.PRESENTER})
    page = signed_in_page(served, browser_context, "ben", room.join_key)
    everything = {"unmuteMic": True, "turnVideoOn": True, "shareScreen": True}
    play(
        page,
        f"{served.url}/r/{room.join_key}",
        [["state", "Connected"], ["capabilities", everything]],
    )
    expect(page.locator("#status")).to_have_text("In the call")
    assert [page.is_visible(f"#{b}") for b in ("mic", "camera", "share")] == [False] * 3


def test_a_consumer_is_never_offered_or_asked_for_camera_or_microphone(
    served: Served, browser_context: BrowserContext
) -> None:
    room = served.site.room(members={served.site.user_id("ben"): Role.CONSUMER})
    page = signed_in_page(served, browser_context, "ben", room.join_key)
    claimed = {"unmuteMic": True, "turnVideoOn": True, "shareScreen": True}
    play(
        page,
        f"{served.url}/r/{room.join_key}",
        [["state", "Connected"], ["role", "Consumer"], ["capabilities", claimed]],
    )
    expect(page.locator("#role")).to_have_text("Your role: Consumer")
    assert [page.is_visible(f"#{b}") for b in ("mic", "camera", "share")] == [False] * 3
    assert page.evaluate("window.RoomBotMediaAsks") == 0


@pytest.mark.parametrize(
    ("sub_code", "title"),
    [
        (5732, "Room not found"),
        (5829, "Room not open now"),
        (5828, "Not invited"),
        (5317, "Removed from the room"),
        (4507, "Sign-in expired"),
    ],
)
def test_each_rooms_sub_code_ends_on_its_own_page(
    served: Served, browser_context: BrowserContext, sub_code: int, title: str
) -> None:
    room = served.site.room(members={served.site.user_id("ben"): Role.ATTENDEE})
    page = signed_in_page(served, browser_context, "ben", room.join_key)
    ending = {"code": 403, "subCode": sub_code}
    play(page, f"{served.url}/r/{room.join_key}", [["state", "Disconnected", ending]])
    page.wait_for_selector("#outcome:not([hidden])")
    assert page.text_content("#outcome-title") == title


def test_the_token_is_refreshed_through_roombot(
    served: Served, browser_context: BrowserContext
) -> None:
    room = served.site.room(members={served.site.user_id("ben"): Role.ATTENDEE})
    page = signed_in_page(served, browser_context, "ben", room.join_key)
    with page.expect_response(lambda r: r.url.endswith("/token")) as refreshed:
        play(page, f"{served.url}/r/{room.join_key}", [["state", "Connected"], ["refresh"]])
    assert refreshed.value.status == 200
    expect(page.locator("#status")).to_have_text("In the call")
    page.wait_for_timeout(100)
    assert page.evaluate("window.RoomBotRefreshed") is True


def test_someone_off_the_roster_sees_why_before_any_call(
    served: Served, browser_context: BrowserContext
) -> None:
    room = served.site.room(members={served.site.user_id("ben"): Role.ATTENDEE})
    page = signed_in_page(served, browser_context, "cho", room.join_key)
    play(page, f"{served.url}/r/{room.join_key}", [])
    page.wait_for_selector("#outcome:not([hidden])")
    assert page.text_content("#outcome-title") == "Not invited"
    assert page.evaluate("window.RoomBotGrant") is None


def test_without_a_session_the_page_sends_the_person_to_sign_in_with_slack(
    served: Served, page: Page
) -> None:
    room = served.site.room(members={served.site.user_id("ben"): Role.ATTENDEE})
    page.goto(f"{served.url}/r/{room.join_key}")
    with page.expect_request(lambda r: "/openid/connect/authorize?" in r.url) as asked:
        page.click("#signin-link")
    assert asked.value.url.startswith(served.site.standin.authorize_url)
    assert f"redirect_uri={served.url}" in unquote(asked.value.url)


def test_against_the_local_emulator_the_page_plays_a_demo_call_and_says_so(
    demo_served: Served, browser_context: BrowserContext
) -> None:
    """What a newcomer sees from `roombot console`: the room, the role, the role's controls."""
    room = demo_served.site.room(members={demo_served.site.user_id("ben"): Role.PRESENTER})
    page = signed_in_page(demo_served, browser_context, "ben", room.join_key, scripted=False)
    page.set_viewport_size({"width": 900, "height": 640})
    page.goto(f"{demo_served.url}/r/{room.join_key}")
    expect(page.locator("#role")).to_have_text("Your role: Presenter")
    assert page.is_visible("#demo-note")
    assert [page.is_visible(f"#{b}") for b in ("mic", "camera", "share", "leave")] == [True] * 4
    shot = os.environ.get("ROOMBOT_JOIN_SCREENSHOT")  # the README's picture, when asked for
    if shot:
        page.screenshot(path=shot)
    page.click("#leave")
    expect(page.locator("#outcome-title")).to_have_text("You left the call")


def test_a_personal_link_signs_in_from_its_fragment_and_forgets_it(
    served: Served, page: Page
) -> None:
    room = served.site.room(members={served.site.user_id("ben"): Role.ATTENDEE})
    passes = served.site.services.join_passes
    assert passes is not None
    holder = PassHolder(served.site.workspace, served.site.user_id("ben"), "Ben Becker")
    token = passes.issue(holder, room.join_key)
    page.add_init_script(FAKE_ADAPTER + "window.RoomBotScript = [];")
    page.goto(f"{served.url}/r/{room.join_key}#t={token}")
    expect(page.locator("#who")).to_have_text("Signed in as Ben Becker")
    assert "#t=" not in page.url


def test_roombots_page_loads_the_real_sdk_through_its_import_map_under_its_csp(
    served: Served, page: Page, vendor_build: object, blocked_urls: list[str]
) -> None:
    """The vendored Calling SDK, served by RoomBot (gzipped, immutable) and imported the way
    calling-sdk.js imports it, with everything but localhost refused: CallClient constructs."""
    room = served.site.room(members={})
    with page.expect_response(lambda r: "/static/vendor/communication-calling." in r.url) as sdk:
        page.goto(f"{served.url}/r/{room.join_key}")
        page.evaluate("import('@azure/communication-calling').then(() => true)")
    assert sdk.value.headers["content-encoding"] == "gzip"
    assert "immutable" in sdk.value.headers["cache-control"]
    made = page.evaluate(
        "import('@azure/communication-calling').then(m => typeof new m.CallClient())"
    )
    assert made == "object"
    assert all("localhost" not in url for url in blocked_urls)


def test_a_browser_without_webrtc_gets_the_unsupported_browser_page(
    served: Served, browser_context: BrowserContext
) -> None:
    room = served.site.room(members={served.site.user_id("ben"): Role.ATTENDEE})
    page = signed_in_page(served, browser_context, "ben", room.join_key)
    page.add_init_script("delete window.RTCPeerConnection;")
    play(page, f"{served.url}/r/{room.join_key}", [["state", "Connected"]])
    expect(page.locator("#outcome-title")).to_have_text("Browser not supported")
    assert page.evaluate("window.RoomBotGrant") is None


def test_a_second_tab_on_the_same_room_does_not_join_again(
    served: Served, browser_context: BrowserContext
) -> None:
    """ACS allows one call agent per identity and tab; a second would fail (409/40228)."""
    room = served.site.room(members={served.site.user_id("ben"): Role.ATTENDEE})
    first = signed_in_page(served, browser_context, "ben", room.join_key)
    play(first, f"{served.url}/r/{room.join_key}", [["state", "Connected"]])
    expect(first.locator("#status")).to_have_text("In the call")
    second = browser_context.new_page()
    second.add_init_script(FAKE_ADAPTER + "window.RoomBotScript = [];")
    second.goto(f"{served.url}/r/{room.join_key}")
    expect(second.locator("#outcome-title")).to_have_text("Open in another tab")
    assert second.evaluate("window.RoomBotGrant") is None


def test_the_real_sdk_adapter_joins_and_ends_clearly_when_acs_cannot_be_reached(
    served: Served, browser_context: BrowserContext, vendor_build: object
) -> None:
    """calling-sdk.js end to end, offline: the real SDK takes the token RoomBot issued (the
    emulator's JWT), creates its call agent and joins the room; with Microsoft's hosts
    refused the call ends with a network code, and the page says so instead of hanging."""
    room = served.site.room(members={served.site.user_id("ben"): Role.CONSUMER})
    page = signed_in_page(served, browser_context, "ben", room.join_key, scripted=False)
    page.goto(f"{served.url}/r/{room.join_key}")
    expect(page.locator("#role")).to_have_text("Joining as Consumer")
    expect(page.locator("#outcome-title")).to_have_text("The call could not go on", timeout=90_000)
    assert "Azure Communication Services ended it" in (page.text_content("#outcome-text") or "")
    assert page.evaluate("window.RoomBotMediaAsks") == 0  # a Consumer is asked for nothing
