"""The Event Grid webhook: `POST /acs/events?code=<ROOMBOT_EVENTGRID_SECRET>`, where an Event
Grid subscription on the ACS resource delivers calling events.

The secret comes as the query parameter `code` (Event Grid keeps it with the subscription and
sends it on every delivery; there is no body signature to check): wrong or missing, 401 and
nothing runs. The subscription validation handshake is answered with its code (Event Grid
schema), and CloudEvents' OPTIONS handshake with the allowed origin. Events are applied before
the answer (a few milliseconds each, well inside Event Grid's 30 seconds) and Slack is told
after it, by the live-call loop: a 200 means the events are stored, so Event Grid retries
anything that was not (a database outage answers 503).
"""

from __future__ import annotations

import hmac
import logging
from typing import TYPE_CHECKING, Final

from flask import Flask, Response, request

from bot.services.calls.event_grid import BadDelivery, parse_delivery
from bot.services.errors import StoreUnavailable
from bot.web.answers import json_answer

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from bot.services.calls.intake import CallIntake
    from bot.services.domain import Workspace

log = logging.getLogger(__name__)

EVENTS_PATH: Final = "/acs/events"
# Event Grid delivers at most 1 MB per event and per batch.
MAX_BODY: Final = 1024 * 1024


def events_app(
    intake: CallIntake,
    secrets: Sequence[str],
    installed: Callable[[Workspace], bool],
    wake: Callable[[], None],
) -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    keys = [secret.encode() for secret in secrets if secret]

    def allowed() -> bool:
        given = request.args.get("code", "").encode()
        # Every secret compared, in constant time: the answer never tells which came close.
        matches = [hmac.compare_digest(given, key) for key in keys]
        return bool(given) and any(matches)

    @app.route(EVENTS_PATH, methods=["OPTIONS"])
    def abuse_protection() -> Response:
        """CloudEvents' handshake: say which origin may deliver here."""
        if not allowed():
            return json_answer(401, error="unauthorized")
        response = Response(status=200)
        origin = request.headers.get("WebHook-Request-Origin")
        if origin:
            response.headers["WebHook-Allowed-Origin"] = origin
            response.headers["WebHook-Allowed-Rate"] = "*"
        return response

    @app.post(EVENTS_PATH)
    def deliver() -> Response:
        if not allowed():
            log.warning("Event Grid webhook: a delivery without the right code was refused")
            return json_answer(401, error="unauthorized")
        try:
            delivery = parse_delivery(request.get_data(), request.content_type)
        except BadDelivery as exc:
            log.warning("Event Grid webhook: unreadable delivery: %s", str(exc)[:200])
            return json_answer(400, error="bad_request")
        if delivery.validation is not None:
            log.info("Event Grid subscription validated")
            return json_answer(200, validationResponse=delivery.validation.code)
        try:
            taken = intake.take(delivery.events, installed)
        except StoreUnavailable:
            log.warning("Event Grid webhook: database unavailable, Event Grid will retry")
            return json_answer(503, error="unavailable")
        if taken.applied:
            wake()
        log.info(
            "Event Grid delivery: applied=%s repeats=%s ignored=%s skipped=%s",
            taken.applied,
            taken.repeats,
            taken.ignored,
            delivery.skipped,
        )
        return json_answer(200, applied=taken.applied, repeats=taken.repeats, ignored=taken.ignored)

    @app.errorhandler(413)
    def too_large(_error: Exception) -> Response:
        return json_answer(413, error="too_large")

    return app
