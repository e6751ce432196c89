"""`roombot console` serves the join page on http://localhost and signs people in through its
own Slack stand-in, so a newcomer can open a card's Join link and reach the (demo) call."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urljoin

from bot.run_modes.process import Process
from slack_standin import RunningStandin
from tests.slack_standin.signin_flow import choices, visit

JOIN_LINK = re.compile(r"http://localhost:\d+/r/[\w-]{22}")


def join_link(process: Process, standin: RunningStandin) -> str:
    assert process.console is not None
    process.console.handle("/room create Console crit for 30m")
    process.console.settle()
    card = standin.messages("general")[0]
    found = JOIN_LINK.search(str(card["blocks"]))
    assert found is not None, card
    return found.group(0)


def test_a_cards_join_link_opens_the_page_on_localhost_in_demo_mode(
    console: tuple[Process, RunningStandin],
) -> None:
    process, standin = console
    link = join_link(process, standin)
    assert process.web_url is not None
    assert link.startswith(process.web_url)
    with urllib.request.urlopen(link) as page:  # noqa: S310 - the console's own localhost
        html = page.read().decode()
    assert "Console crit" in html
    assert '<meta name="roombot-calling" content="demo">' in html


def test_signing_in_through_the_stand_in_gives_the_organizer_a_token(
    console: tuple[Process, RunningStandin],
) -> None:
    process, standin = console
    link = join_link(process, standin)
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    start = link.split("/r/")[0] + "/auth/slack/start?next=/r/" + link.split("/r/")[1]
    to_slack = redirected(jar, start)
    page = visit(to_slack)
    chosen = visit(urljoin(to_slack, choices(page)[standin.workspace.user("ana").id]))
    assert chosen.location is not None
    signed_in = browser.open(chosen.location).read().decode()
    csrf = re.search(r'name="roombot-csrf" content="([^"]+)"', signed_in)
    assert csrf is not None
    key = link.rsplit("/", 1)[1]
    api = urllib.request.Request(  # noqa: S310
        f"{process.web_url}/api/rooms/{key}/join",
        method="POST",
        headers={"X-RoomBot-CSRF": csrf.group(1)},
    )
    with browser.open(api) as answer:
        body = answer.read().decode()
    assert '"role":"Presenter"' in body.replace(" ", "")
    assert '"token":"' in body


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # urllib raises the redirect as an HTTPError, which `redirected` reads


def redirected(jar: CookieJar, url: str) -> str:
    """Where RoomBot sends the browser (keeping the cookies it sets on the way)."""
    staying = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _Stay())
    try:
        staying.open(url)
    except urllib.error.HTTPError as redirect:
        return str(redirect.headers["Location"])
    raise AssertionError("RoomBot did not send the browser to Slack")
