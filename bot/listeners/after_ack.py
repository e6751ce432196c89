"""Ack at once, then the slow work as a Bolt lazy listener.

`ack_then(ack, work)` gives Bolt the pair `ack=`, `lazy=[...]`: Bolt runs the ack listener, then
hands the work to its lazy listener runner. Which runner decides where the work runs: Bolt's
own thread runner (the console, tests) or RoomBot's durable one, which records it as a job in
the database before the ack is sent, for worker processes to claim (bot/background/job_runner.py).

After an ack with inline errors (`response_action: errors`) no work may follow: Slack keeps the
form open for the person to fix and resubmit, and a later `views.update` would wipe the
messages out. The ack marks the request's context so, and the work is never started.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.listeners.job_answers import AnswersOnce
from bot.listeners.late_answer import LateRespond, response_url_expired
from bot.services.job_queue import running_job

if TYPE_CHECKING:
    from slack_bolt import BoltResponse
    from slack_bolt.kwargs_injection.args import Args

log = logging.getLogger(__name__)

Listener = Callable[..., None]
# Set in a request's context by an ack that answered with inline errors.
NO_WORK = "roombot_no_work"


def ack_then(ack: Listener, work: Listener) -> dict[str, Any]:
    """Bolt's `ack=` and `lazy=` for one listener: `ack` runs now, `work` after it unless the ack
    answered with inline errors; each is given the listener arguments (`ack`, `body`, `client`,
    `respond`, …) its parameters name, as Bolt would give them."""
    ack_names, work_names = parameters(ack), parameters(work)

    def acknowledge(args: Args) -> None:
        ack(**{name: getattr(args, name) for name in ack_names})
        if answered_with_errors(args.ack.response):
            args.context[NO_WORK] = True

    def lazy(args: Args) -> None:
        if args.context.get(NO_WORK):
            return
        given = {name: getattr(args, name) for name in work_names}
        if "respond" in given:
            given["respond"] = job_respond(args)
        try:
            work(**given)
        except Exception:  # the work guards its own errors: a bug must reach the log whole
            log.exception("listener work failed after the ack")

    # Bolt names a lazy function by its __name__: the job records it, a worker finds it by it.
    lazy.__name__ = lazy.__qualname__ = work_name(work)
    return {"ack": acknowledge, "lazy": [lazy]}


def job_respond(args: Args) -> Callable[..., Any] | None:
    """`respond` for the work: through the person directly once the response_url expired, and
    for a job, without repeating the replies an earlier run of it sent. None, as Bolt gives it,
    when the request has no response_url (an App Home click, a form)."""
    respond: Callable[..., Any] | None = args.respond
    if respond is None:
        return None
    if response_url_expired(args.context):
        respond = LateRespond(args.client, args.body)
    running = running_job.get()
    return respond if running is None else AnswersOnce(respond, running)


def answered_with_errors(response: BoltResponse | None) -> bool:
    if response is None or not response.body.startswith("{"):
        return False
    return bool(json.loads(response.body).get("response_action") == "errors")


def parameters(function: Listener) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)


def work_name(work: Listener) -> str:
    return f"{work.__module__}.{work.__qualname__}"
