"""The work behind each ack is a job in the database before Slack hears the ack, runs once
however often the request comes, survives its worker, and is never started after an ack
with inline errors. Real Bolt apps, signed requests, the real store."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from slack_bolt import Ack, App
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.lazy_listener import ThreadLazyListenerRunner
from sqlalchemy import Engine

from bot.background.job_runner import DurableLazyRunner, job_key
from bot.background.job_worker import JobWorker
from bot.listeners.after_ack import ack_then, work_name
from bot.listeners.job_answers import AnswersOnce
from bot.listeners.late_answer import LateRespond
from bot.services.clock import utc_now
from bot.services.domain import Workspace
from bot.services.job_queue import JobQueue
from slack_standin import RunningStandin
from slack_standin.bolt_sender import LocalSlack
from storage.engine import make_engine

SECRET = "durable-jobs-secret"
TEAM = "T0JOBS"
Work = Callable[..., None]


class Recorder:
    """What the work saw, each time it ran."""

    def __init__(self) -> None:
        self.runs: list[dict[str, Any]] = []
        self.release = threading.Event()
        self.release.set()
        self._lock = threading.Lock()

    def work(self, body: dict[str, Any], respond: Any) -> None:
        self.release.wait(10)
        with self._lock:
            self.runs.append({"body": body, "respond": respond})

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.runs) >= count:
                    return True
            time.sleep(0.02)
        return False


def ack_command(ack: Ack, command: dict[str, Any]) -> None:
    if command["text"] == "bad":
        ack(response_action="errors", errors={"title": "Give it a title"})
        return
    ack(text=f"working on {command['text']}")


def bolt_app(recorder: Recorder, pool: ThreadPoolExecutor, *, worker: bool = False) -> App:
    app = App(
        signing_secret=SECRET,
        authorize=lambda **_: AuthorizeResult(
            enterprise_id=None, team_id=TEAM, bot_token="xoxb-t", bot_user_id="UB"
        ),
        process_before_response=True,
        listener_executor=pool,
        request_verification_enabled=not worker,
    )
    app.command("/room")(**ack_then(ack_command, recorder.work))
    return app


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(4) as executor:
        yield executor


@pytest.fixture
def queue(engine: Engine) -> JobQueue:
    return JobQueue(engine=engine, lease=timedelta(seconds=1))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def wake() -> threading.Semaphore:
    return threading.Semaphore(0)


@pytest.fixture
def slack(
    recorder: Recorder, pool: ThreadPoolExecutor, queue: JobQueue, wake: threading.Semaphore
) -> LocalSlack:
    app = bolt_app(recorder, pool)
    fallback = ThreadLazyListenerRunner(app.logger, pool)
    runner = DurableLazyRunner(queue, wake=wake.release, fallback=fallback)
    app.listener_runner.lazy_listener_runner = runner
    return LocalSlack(app, signing_secret=SECRET, team_id=TEAM)


@pytest.fixture
def start_worker(
    recorder: Recorder, pool: ThreadPoolExecutor, queue: JobQueue, wake: threading.Semaphore
) -> Iterator[Callable[..., JobWorker]]:
    started: list[JobWorker] = []

    def start(owner: str = "w1") -> JobWorker:
        app = bolt_app(recorder, pool, worker=True)
        worker = JobWorker(app, queue, wake, threads=4, owner=owner).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop(5)


def command_form(text: str, trigger: str = "13345.6") -> str:
    return urlencode(
        {
            "token": "verification-token-that-must-not-be-kept",
            "team_id": TEAM,
            "user_id": "U1",
            "channel_id": "C1",
            "command": "/room",
            "text": text,
            "response_url": "https://hooks.slack.com/commands/T0JOBS/1/x",
            "trigger_id": trigger,
        }
    )


def send(slack: LocalSlack, text: str, trigger: str = "13345.6", **headers: str) -> Any:
    return slack.send(command_form(text, trigger), "application/x-www-form-urlencoded", **headers)


def test_the_job_is_recorded_before_the_ack_and_nothing_runs_it_yet(
    slack: LocalSlack, queue: JobQueue, recorder: Recorder
) -> None:
    response = send(slack, "extend #1 by 1h")
    assert (response.status, "working on extend #1 by 1h" in response.body) == (200, True)
    assert queue.pending() == 1
    time.sleep(0.2)
    assert recorder.runs == []  # no worker: the job waits in the database


def test_a_worker_runs_the_job_with_the_request_it_answers(
    slack: LocalSlack, queue: JobQueue, recorder: Recorder, start_worker: Callable[..., JobWorker]
) -> None:
    start_worker()
    send(slack, "extend #1 by 1h")
    assert recorder.wait_for(1)
    body = recorder.runs[0]["body"]
    assert (body["text"], body["trigger_id"]) == ("extend #1 by 1h", "13345.6")
    assert "token" not in body  # Slack's verification token is not kept with the job
    respond = recorder.runs[0]["respond"]
    assert isinstance(respond, AnswersOnce)  # a re-run would not repeat what this one sends
    assert respond.inner.response_url == body["response_url"]
    assert _eventually(lambda: queue.pending() == 0)


def test_a_replayed_or_retried_request_adds_no_second_job(
    slack: LocalSlack, queue: JobQueue, recorder: Recorder, start_worker: Callable[..., JobWorker]
) -> None:
    send(slack, "extend #1 by 1h")
    assert send(slack, "extend #1 by 1h").status == 200  # replayed, signed anew
    retried = send(slack, "extend #1 by 1h", **{"x-slack-retry-num": "1"})
    assert retried.status == 200
    assert queue.pending() == 1
    start_worker()
    assert recorder.wait_for(1)
    time.sleep(0.3)
    assert len(recorder.runs) == 1
    send(slack, "extend #1 by 1h", trigger="13345.7")  # another request: another job
    assert recorder.wait_for(2)


def test_an_ack_with_inline_errors_records_no_job(
    slack: LocalSlack, queue: JobQueue, recorder: Recorder, start_worker: Callable[..., JobWorker]
) -> None:
    response = send(slack, "bad")
    assert '"response_action": "errors"' in response.body
    assert queue.pending() == 0
    start_worker()
    time.sleep(0.3)
    assert recorder.runs == []


def test_a_job_whose_worker_died_is_taken_again_when_its_lease_runs_out(
    slack: LocalSlack, queue: JobQueue, recorder: Recorder, start_worker: Callable[..., JobWorker]
) -> None:
    send(slack, "extend #1 by 1h")
    dead = queue.claim("a-worker-that-died", 10)  # claimed, then never finished nor renewed
    assert len(dead) == 1
    started = time.monotonic()
    start_worker()
    assert recorder.wait_for(1, timeout=5)
    waited = time.monotonic() - started
    assert queue.lease.total_seconds() * 0.8 <= waited  # not before the lease ran out
    assert _eventually(lambda: queue.pending() == 0)


def test_a_long_job_keeps_its_lease_while_its_worker_lives(
    slack: LocalSlack, queue: JobQueue, recorder: Recorder, start_worker: Callable[..., JobWorker]
) -> None:
    recorder.release.clear()
    start_worker("w1")
    send(slack, "extend #1 by 1h")
    time.sleep(queue.lease.total_seconds() * 2.5)  # well past one lease: renewed meanwhile
    assert queue.claim("w2", 10) == []
    recorder.release.set()
    assert recorder.wait_for(1)
    time.sleep(0.3)
    assert len(recorder.runs) == 1


def test_a_stop_finishes_the_job_in_progress_and_leaves_the_rest_recorded(
    slack: LocalSlack, queue: JobQueue, recorder: Recorder, start_worker: Callable[..., JobWorker]
) -> None:
    recorder.release.clear()
    worker = start_worker()
    send(slack, "first")
    assert _eventually(lambda: worker.running() == 1)
    threading.Timer(0.3, recorder.release.set).start()
    started = time.monotonic()
    assert worker.stop(5) is True
    assert time.monotonic() - started < 2
    assert [run["body"]["text"] for run in recorder.runs] == ["first"]
    send(slack, "second", trigger="2")  # arrives after the stop: stays for the next worker
    time.sleep(0.3)
    assert (len(recorder.runs), queue.pending()) == (1, 1)
    start_worker("next")
    assert recorder.wait_for(2)


def test_with_the_database_down_the_work_runs_in_process_and_is_answered(
    recorder: Recorder, pool: ThreadPoolExecutor, closed_port: int
) -> None:
    engine = make_engine(f"postgresql+psycopg://roombot@127.0.0.1:{closed_port}/roombot")
    app = bolt_app(recorder, pool)
    down = JobQueue(engine=engine)
    fallback = ThreadLazyListenerRunner(app.logger, pool)
    app.listener_runner.lazy_listener_runner = DurableLazyRunner(
        down, wake=lambda: None, fallback=fallback
    )
    slack = LocalSlack(app, signing_secret=SECRET, team_id=TEAM)
    assert send(slack, "extend #1 by 1h").status == 200
    assert recorder.wait_for(1)


def test_job_keys_follow_what_makes_a_request_unique() -> None:
    view = {"type": "view_submission", "team": {"id": TEAM}, "trigger_id": "t1"}
    view["view"] = {"id": "V1", "hash": "h1"}
    event = {"type": "event_callback", "team_id": TEAM, "event_id": "Ev1"}
    command = {"team_id": TEAM, "trigger_id": "t9", "text": "x"}
    assert job_key(view, "f") == f"/{TEAM}/view:V1:h1/f"
    assert job_key(event, "f") == f"/{TEAM}/event:Ev1/f"
    assert job_key(command, "f") == f"/{TEAM}/trigger:t9/f"
    # Without a trigger, the body decides (Slack's token aside).
    bare = {"team_id": TEAM, "text": "x"}
    assert job_key(bare, "f") == job_key({**bare, "token": "other"}, "f")
    assert job_key(bare, "f") != job_key({**bare, "text": "y"}, "f")


def _eventually(check: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_a_job_run_after_its_response_url_expired_answers_the_person_directly(
    engine: Engine,
    pool: ThreadPoolExecutor,
    recorder: Recorder,
    wake: threading.Semaphore,
    start_worker: Callable[..., JobWorker],
) -> None:
    long_ago = JobQueue(engine=engine, clock=lambda: utc_now() - timedelta(minutes=31))
    app = bolt_app(recorder, pool)
    fallback = ThreadLazyListenerRunner(app.logger, pool)
    runner = DurableLazyRunner(long_ago, wake=wake.release, fallback=fallback)
    app.listener_runner.lazy_listener_runner = runner
    send(LocalSlack(app, signing_secret=SECRET, team_id=TEAM), "extend #1 by 1h")
    start_worker()
    assert recorder.wait_for(1)
    assert isinstance(recorder.runs[0]["respond"].inner, LateRespond)


def test_a_rerun_job_does_not_repeat_the_replies_its_earlier_run_sent(
    engine: Engine, pool: ThreadPoolExecutor, standin: RunningStandin
) -> None:
    def work(body: dict[str, Any], respond: Any) -> None:
        respond(text="first reply")
        respond(text="second reply")

    app = App(
        signing_secret=SECRET,
        authorize=lambda **_: AuthorizeResult(
            enterprise_id=None, team_id=TEAM, bot_token="xoxb-t", bot_user_id="UB"
        ),
        process_before_response=True,
        listener_executor=pool,
        request_verification_enabled=False,
    )
    app.command("/room")(**ack_then(ack_command, work))
    queue = JobQueue(engine=engine, lease=timedelta(milliseconds=200))
    body = dict(parse_qsl(command_form("x")))
    body["response_url"] = standin.new_response_url("C0GENERAL", "U06ANA1001")
    workspace = Workspace(enterprise_id="", team_id=TEAM)
    assert queue.record(workspace, "k1", work_name(work), body)
    (earlier,) = queue.claim("died-after-one-reply", 1)
    queue.count_answer(earlier.id, 1)  # it sent its first reply, then died
    wake = threading.Semaphore(0)
    worker = JobWorker(app, queue, wake, threads=1, owner="w2").start()
    try:
        standin.wait_for("response_url", lambda call: "second reply" in str(call.args))
    finally:
        worker.stop(5)
    replies = [str(call.args.get("text")) for call in standin.calls("response_url")]
    assert replies == ["second reply"]
