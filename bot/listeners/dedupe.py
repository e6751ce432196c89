"""Each Slack event runs once, however often it is delivered (retries, several instances).

Slack retries an event it thinks failed, and the retry may land on another instance while the
first delivery is still running. The first delivery claims the `event_id` in the shared store
before any listener runs; every later delivery is acknowledged and dropped. Retries are not
dropped blindly: when the first delivery never arrived, the retry is the only copy.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.listeners.requester import workspace_of
from bot.services.errors import StoreUnavailable

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.services.container import Services

log = logging.getLogger(__name__)

# Read by the request log, to tell a dropped repeat from a handled event.
REPEAT_MARK = "roombot_repeat_delivery"


def register(app: App, services: Services) -> None:
    app.middleware(RunEachEventOnce(services))


class RunEachEventOnce(Middleware):
    """A class, not a function: Bolt builds every listener argument for a function middleware,
    and it ran on every request (a sixth of the ack path), events or not."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body = req.body
        if req.lazy_only:  # a recorded job: its delivery was claimed before it was recorded
            return next()
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        events = self.services.events
        if not event_id or events is None:
            return next()
        try:
            first = events.first_delivery(workspace_of(body), str(event_id))
        except StoreUnavailable:
            # Not claimed, not run: a non-2xx answer makes Slack deliver it again later.
            log.warning("could not claim event %s: the database is unavailable", event_id)
            return BoltResponse(status=503, body="")
        if first:
            return next()
        req.context[REPEAT_MARK] = True
        return BoltResponse(status=200, body="")
