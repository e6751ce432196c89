"""The join page and its API: Sign in with Slack through the stand-in, then a token for the
person's own identity, only on the roster and in the window; nothing secret leaks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urljoin

import pytest
from sqlalchemy import Engine

from acs_emulator import EmulatorConfig, RunningEmulator, start_emulator
from bot.services.access import Actor
from bot.services.domain import Role, RoomKey
from bot.services.join_passes import PassHolder
from slack_standin import RunningStandin
from tests.bot.web.join_site import CLIENT_ID, PUBLIC_URL, Site, join_services, make_site, query
from tests.slack_standin.signin_flow import authorize_url, choices, redirected_to, visit


@pytest.fixture(scope="module")
def emulator() -> Iterator[RunningEmulator]:
    with start_emulator(EmulatorConfig(seed=7)) as running:
        yield running


@pytest.fixture
def site(engine: Engine, emulator: RunningEmulator, standin: RunningStandin) -> Iterator[Site]:
    services = join_services(engine, emulator)
    yield make_site(standin, services)
    services.close()


def test_a_signed_out_visitor_sees_the_room_and_a_sign_in_link(site: Site) -> None:
    room = site.room(members={site.user_id("ben"): Role.ATTENDEE})
    page = site.client.get(f"/r/{room.join_key}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Design crit" in html
    assert f"/auth/slack/start?next=/r/{room.join_key}" in html
    assert room.acs_room_id not in html  # nothing about the call before sign-in
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["Cache-Control"] == "no-store"


def test_an_unknown_join_link_is_a_plain_not_found_page(site: Site) -> None:
    page = site.client.get("/r/no-such-room-key-000000")
    assert page.status_code == 404
    assert "does not lead to a room" in page.get_data(as_text=True)


def test_sign_in_sends_state_and_nonce_and_ends_in_a_safe_session_cookie(site: Site) -> None:
    room = site.room(members={site.user_id("ben"): Role.ATTENDEE})
    start = site.client.get(f"/auth/slack/start?next=/r/{room.join_key}")
    asked = query(start.headers["Location"])
    assert asked["state"]
    assert asked["nonce"]
    assert asked["client_id"]
    assert asked["redirect_uri"] == f"{PUBLIC_URL}/auth/slack/callback"
    back = site.sign_in("ben", f"/r/{room.join_key}")
    assert (back.status_code, back.headers["Location"]) == (303, f"/r/{room.join_key}")
    cookie = next(c for c in back.headers.getlist("Set-Cookie") if c.startswith("roombot_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie
    assert "Signed in as" in site.client.get(f"/r/{room.join_key}").get_data(as_text=True)


def test_a_callback_whose_state_does_not_match_signs_nobody_in(site: Site) -> None:
    room = site.room(members={})
    site.client.get(f"/auth/slack/start?next=/r/{room.join_key}")
    replayed = site.client.get("/auth/slack/callback?code=whatever&state=someone-elses")
    assert replayed.status_code == 400
    assert not any(c.startswith("roombot_session=") for c in replayed.headers.getlist("Set-Cookie"))


def test_sign_in_may_only_lead_back_to_a_join_page(site: Site) -> None:
    for target in ("https://evil.example/", "//evil.example/r/x", "/r/", "/healthz"):
        assert site.client.get(f"/auth/slack/start?next={target}").status_code == 404


def test_someone_of_a_workspace_without_roombot_is_not_signed_in(
    engine: Engine, emulator: RunningEmulator, standin: RunningStandin
) -> None:
    services = join_services(engine, emulator)
    try:
        site = make_site(standin, services, installed_in="T0OTHERTEAM")
        back = site.sign_in("ben", "/r/any-key")
        assert back.status_code == 400
        assert "not installed in the Slack workspace" in back.get_data(as_text=True)
        assert not any(c.startswith("roombot_session=") for c in back.headers.getlist("Set-Cookie"))
    finally:
        services.close()


def test_without_sign_in_settings_the_page_tells_the_operator_what_to_set(
    engine: Engine, emulator: RunningEmulator, standin: RunningStandin
) -> None:
    services = join_services(engine, emulator)
    try:
        site = make_site(standin, services, roombot_session_secret=None)
        room = site.room(members={})
        html = site.client.get(f"/r/{room.join_key}").get_data(as_text=True)
        assert "Sign-in is not set up" in html
        assert "ROOMBOT_SESSION_SECRET" in html
        assert site.client.get(f"/auth/slack/start?next=/r/{room.join_key}").status_code == 404
    finally:
        services.close()


def test_a_person_on_the_roster_gets_their_own_token_without_caching(site: Site) -> None:
    room = site.room(members={site.user_id("ben"): Role.CONSUMER})
    site.sign_in("ben", f"/r/{room.join_key}")
    answer = site.client.post(
        f"/api/rooms/{room.join_key}/join", headers={"X-RoomBot-CSRF": site.csrf(room.join_key)}
    )
    body = answer.get_json()
    assert answer.status_code == 200
    assert (body["roomId"], body["role"], answer.headers["Cache-Control"]) == (
        room.acs_room_id,
        "Consumer",
        "no-store",
    )
    mine = next(m.acs_id for m in room.members if m.slack_user_id == site.user_id("ben"))
    assert body["token"]
    assert body["expiresOn"] > 0
    assert site.services.joining is not None
    assert mine.removeprefix("8:") in _token_claims(body["token"])["skypeid"]


@pytest.mark.parametrize(
    ("headers", "status", "error"),
    [({}, 403, "csrf"), ({"X-RoomBot-CSRF": "forged"}, 403, "csrf")],
)
def test_the_api_needs_the_sessions_csrf_header(
    site: Site, headers: dict[str, str], status: int, error: str
) -> None:
    room = site.room(members={site.user_id("ben"): Role.ATTENDEE})
    site.sign_in("ben", f"/r/{room.join_key}")
    answer = site.client.post(f"/api/rooms/{room.join_key}/join", headers=headers)
    assert (answer.status_code, answer.get_json()["error"]) == (status, error)


def test_without_a_session_the_api_says_where_to_sign_in(site: Site) -> None:
    room = site.room(members={})
    answer = site.client.post(f"/api/rooms/{room.join_key}/join")
    assert answer.status_code == 401
    assert answer.get_json()["signInUrl"] == f"/auth/slack/start?next=/r/{room.join_key}"


def test_someone_off_the_roster_gets_no_token(site: Site) -> None:
    room = site.room(members={site.user_id("ben"): Role.ATTENDEE})
    site.sign_in("cho", f"/r/{room.join_key}")
    answer = site.client.post(
        f"/api/rooms/{room.join_key}/join", headers={"X-RoomBot-CSRF": site.csrf(room.join_key)}
    )
    assert (answer.status_code, answer.get_json()["error"]) == (403, "not_invited")
    assert "token" not in answer.get_json()


def test_no_token_is_ever_logged(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    room = site.room(members={site.user_id("ben"): Role.ATTENDEE})
    site.sign_in("ben", f"/r/{room.join_key}")
    csrf = site.csrf(room.join_key)
    token = site.client.post(
        f"/api/rooms/{room.join_key}/token", headers={"X-RoomBot-CSRF": csrf}
    ).get_json()["token"]
    assert token not in caplog.text
    assert csrf not in caplog.text


def _token_claims(token: str) -> dict[str, str]:
    import base64
    import json

    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_anyone_with_the_link_can_download_the_rooms_ics(site: Site) -> None:
    room = site.room(members={})
    answer = site.client.get(f"/r/{room.join_key}/calendar.ics")
    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    assert f"URL:{site.public_url}/r/{room.join_key}" in answer.get_data(as_text=True)
    assert site.client.get("/r/no-such-room-key-000000/calendar.ics").status_code == 404


def test_a_deleted_room_has_no_ics(site: Site) -> None:
    room = site.room(members={})
    organizer = Actor(site.user_id("ana"))
    site.services.changes.delete(site.workspace, RoomKey(number=room.number), organizer)
    assert site.client.get(f"/r/{room.join_key}/calendar.ics").status_code == 404


def test_a_personal_link_signs_its_person_in_once(site: Site) -> None:
    room = site.room(members={site.user_id("ben"): Role.ATTENDEE})
    passes = site.services.join_passes
    assert passes is not None
    token = passes.issue(PassHolder(site.workspace, site.user_id("ben"), "Ben"), room.join_key)
    traded = site.client.post("/api/rooms/session", json={"key": room.join_key, "t": token})
    assert traded.status_code == 200
    assert "Signed in as Ben" in site.client.get(f"/r/{room.join_key}").get_data(as_text=True)
    again = site.client.post("/api/rooms/session", json={"key": room.join_key, "t": token})
    assert (again.status_code, again.get_json()["error"]) == (400, "pass_refused")
    assert "already used" in again.get_json()["message"]


def test_a_get_of_a_personal_link_consumes_nothing(site: Site) -> None:
    """Slack's link previewer fetches posted links with GET; the pass is in the fragment,
    which no GET carries, and only a POST spends it."""
    room = site.room(members={site.user_id("ben"): Role.ATTENDEE})
    passes = site.services.join_passes
    assert passes is not None
    token = passes.issue(PassHolder(site.workspace, site.user_id("ben"), "Ben"), room.join_key)
    assert site.client.get(f"/r/{room.join_key}?t={token}").status_code == 200
    traded = site.client.post("/api/rooms/session", json={"key": room.join_key, "t": token})
    assert traded.status_code == 200


def test_an_id_token_for_another_nonce_signs_nobody_in(site: Site) -> None:
    """The state matches this browser's sign-in, but Slack's ID token answers another
    request's nonce (a code injected from elsewhere)."""
    start = site.client.get("/auth/slack/start?next=/r/any-room-key-0000")
    state = query(start.headers["Location"])["state"]
    injected = authorize_url(
        site.standin,
        client_id=CLIENT_ID,
        redirect_uri=f"{PUBLIC_URL}/auth/slack/callback",
        state=state,
        nonce="someone-elses-nonce",
    )
    params = sign_in_with(site.standin, injected, site.user_id("ben"))
    back = site.client.get(f"/auth/slack/callback?code={params['code']}&state={state}")
    assert back.status_code == 400
    assert "expired or was already used" in back.get_data(as_text=True)  # the nonce check
    assert not any(c.startswith("roombot_session=") for c in back.headers.getlist("Set-Cookie"))


def test_the_api_gives_no_token_before_the_room_opens(site: Site) -> None:
    room = site.room(members={site.user_id("ben"): Role.ATTENDEE}, starts_in=timedelta(hours=2))
    site.sign_in("ben", f"/r/{room.join_key}")
    answer = site.client.post(
        f"/api/rooms/{room.join_key}/join", headers={"X-RoomBot-CSRF": site.csrf(room.join_key)}
    )
    assert (answer.status_code, answer.get_json()["error"]) == (409, "not_yet_open")


def sign_in_with(standin: RunningStandin, url: str, user_id: str) -> dict[str, str]:
    page = visit(url)
    _, params = redirected_to(visit(urljoin(url, choices(page)[user_id])))
    return params
