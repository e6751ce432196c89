"""The Event Grid publisher against a local webhook: handshake, one event per POST, retries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from acs_emulator.event_grid import EventGridPublisher
from acs_emulator.event_grid_schema import event_envelope
from acs_emulator.timefmt import now_ticks

TYPE = "Microsoft.Communication.CallStarted"


def an_event(subject: str = "call/abc") -> dict[str, Any]:
    return event_envelope(TYPE, subject, {"serverCallId": "abc"}, now_ticks())


@pytest.fixture
def publisher() -> Iterator[EventGridPublisher]:
    events = EventGridPublisher()
    yield events
    events.stop()


def test_after_the_handshake_each_event_goes_in_its_own_post_with_event_grid_headers(
    publisher: EventGridPublisher, receiver: Any
) -> None:
    publisher.set_webhook(receiver.url)
    first, second = an_event("call/1"), an_event("call/2")
    publisher.publish(first)
    publisher.publish(second)

    assert publisher.drain(5)
    handshake, *notifications = receiver.received
    assert handshake.kind == "SubscriptionValidation"
    assert handshake.events[0]["eventType"] == "Microsoft.EventGrid.SubscriptionValidationEvent"
    assert [n.events for n in notifications] == [[first], [second]]
    assert notifications[0].headers["aeg-event-type"] == "Notification"
    assert notifications[0].headers["aeg-subscription-name"] == "ROOMBOT-EMULATOR"
    assert notifications[0].headers["aeg-delivery-count"] == "1"
    assert notifications[0].headers["content-type"] == "application/json"
    assert publisher.validated


def test_a_wrong_handshake_answer_gets_no_events_and_the_handshake_is_retried(
    publisher: EventGridPublisher, receiver: Any
) -> None:
    receiver.echo_validation_code = False
    publisher.set_webhook(receiver.url)
    publisher.publish(an_event())

    assert receiver.wait_until(lambda: len(receiver.handshakes()) >= 2)
    assert receiver.notifications() == []
    assert not publisher.drain(0.05)
    assert not publisher.validated


def test_a_500_is_retried_until_the_webhook_acknowledges(
    publisher: EventGridPublisher, receiver: Any
) -> None:
    receiver.answers.extend([500])
    publisher.set_webhook(receiver.url)
    event = an_event()
    publisher.publish(event)

    assert publisher.drain(5)
    tries = receiver.notifications()
    assert [(t.status, t.headers["aeg-delivery-count"]) for t in tries] == [(500, "1"), (200, "2")]
    assert [t.events[0]["id"] for t in tries] == [event["id"]] * 2
    assert [(d.attempt, d.status) for d in publisher.deliveries()[1:]] == [(1, 500), (2, 200)]


def test_a_401_is_not_retried(publisher: EventGridPublisher, receiver: Any) -> None:
    receiver.answers.extend([401])
    publisher.set_webhook(receiver.url)
    dropped, next_one = an_event("call/1"), an_event("call/2")
    publisher.publish(dropped)
    publisher.publish(next_one)

    assert publisher.drain(5)
    assert [(n.events[0]["id"], n.status) for n in receiver.notifications()] == [
        (dropped["id"], 401),
        (next_one["id"], 200),
    ]


def test_the_webhooks_code_never_reaches_the_log(
    publisher: EventGridPublisher, receiver: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The `code` query parameter is the webhook's secret (RoomBot's ROOMBOT_EVENTGRID_SECRET)."""
    receiver.echo_validation_code = False
    publisher.set_webhook(f"{receiver.url}?code=the-webhooks-own-secret")
    publisher.publish(an_event())
    assert receiver.wait_until(lambda: len(receiver.handshakes()) >= 1)
    assert receiver.wait_until(lambda: "failed the validation handshake" in caplog.text)
    assert "the-webhooks-own-secret" not in caplog.text


def test_events_without_a_webhook_are_dropped_and_start_no_thread() -> None:
    events = EventGridPublisher()
    events.publish(an_event())

    assert events.drain(0)
    assert events.deliveries() == []
    events.stop()


def test_a_webhook_that_is_not_an_http_url_is_refused(publisher: EventGridPublisher) -> None:
    with pytest.raises(ValueError, match="http"):
        publisher.set_webhook("file:///etc/passwd")
