"""What a job carries from the serving process to a worker, and how the worker finds the work."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.background.work_child import BoundWorks, request_client
from bot.background.work_jobs import job_for, portable_parameters, work_name
from bot.background.work_processes import RecentExits

BODY = {"text": "create Standup", "team_id": "T1", "response_url": "https://hooks.invalid/r"}


def command_work(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    del body, client, respond


def view_work(body: dict[str, Any], client: WebClient) -> None:
    del body, client


def test_a_job_carries_the_body_token_team_and_response_url() -> None:
    client = WebClient(token="xoxb-job-token", team_id="T1")
    respond = Respond(response_url="https://hooks.invalid/r")
    job = job_for(3, "w", {"body": BODY, "client": client, "respond": respond})
    assert (job.key, job.name, job.body) == (3, "w", BODY)
    assert "xoxb-job-token" not in repr(job)
    assert (job.token, job.team_id, job.response_url) == (
        "xoxb-job-token",
        "T1",
        respond.response_url,
    )


def test_a_work_that_takes_more_than_a_job_carries_is_refused_at_registration() -> None:
    def needs_context(body: dict[str, Any], context: dict[str, Any]) -> None:
        del body, context

    with pytest.raises(TypeError, match="context"):
        portable_parameters(needs_context)


def test_the_worker_rebuilds_exactly_the_arguments_the_work_names() -> None:
    received: list[dict[str, Any]] = []

    def records(body: dict[str, Any], client: WebClient) -> None:
        received.append({"body": body, "client": client})

    app_client = WebClient(base_url="http://127.0.0.1:9/api/", timeout=7)
    app_client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    with ThreadPoolExecutor(1) as executor:
        works = BoundWorks(executor)
        works.bind(view_work)
        works.bind(records)
        works.run(job_for(1, work_name(records), {"body": BODY}), app_client)
    (given,) = received
    assert given["body"] == BODY
    assert given["client"].base_url == app_client.base_url
    assert given["client"].timeout == 7
    assert len(given["client"].retry_handlers) == len(app_client.retry_handlers)


def test_a_job_whose_work_is_registered_differently_is_dropped_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []

    def would_run(body: dict[str, Any]) -> None:
        ran.append(str(body))

    with ThreadPoolExecutor(1) as executor:
        works = BoundWorks(executor)
        works.bind(would_run)
        works.run(job_for(0, work_name(command_work), {"body": BODY}), WebClient())
        works.run(job_for(5, work_name(would_run), {"body": BODY}), WebClient())
    assert ran == []
    dropped = [r for r in caplog.records if r.levelno == logging.ERROR and "dropped" in r.message]
    assert len(dropped) == 2


def test_the_request_client_has_the_request_token_and_the_app_client_settings() -> None:
    app_client = WebClient(base_url="http://127.0.0.1:9/api/", timeout=4)
    client = request_client(app_client, "xoxb-other", "T2")
    assert (client.token, client.base_url) == ("xoxb-other", app_client.base_url)
    assert client.default_params["team_id"] == "T2"
    assert client is not app_client


def test_recent_exits_are_counted_only_within_their_window() -> None:
    now = [1000.0]
    exits = RecentExits(60.0, clock=lambda: now[0])
    exits.note()
    now[0] += 30
    exits.note()
    assert exits.count() == 2
    now[0] += 31  # the first exit is now 61 s old
    assert exits.count() == 1
    now[0] += 60
    assert exits.count() == 0
