"""Events Slack delivers more than once (its retries, or a resend) are processed once."""

from __future__ import annotations

from slack_standin import RunningStandin
from tests.bot.run_modes.conftest import Served


def home_opened(standin: RunningStandin) -> dict[str, str]:
    return {"type": "app_home_opened", "user": standin.workspace.user("ana").id, "tab": "home"}


def test_the_same_event_delivered_twice_publishes_the_home_once(
    server: Served, standin: RunningStandin
) -> None:
    slack = server.slack(standin.workspace.team_id)
    first = slack.event(home_opened(standin), event_id="Ev0TWICE01")
    again = slack.event(home_opened(standin), event_id="Ev0TWICE01")
    assert (first.status, again.status) == (200, 200)
    # The home listener runs before the HTTP answer (process_before_response): no wait needed.
    assert len(standin.calls("views.publish")) == 1


def test_slack_s_retries_of_a_handled_event_are_acknowledged_and_dropped(
    server: Served, standin: RunningStandin
) -> None:
    slack = server.slack(standin.workspace.team_id)
    slack.event(home_opened(standin), event_id="Ev0RETRY01")
    retries = [
        slack.event(home_opened(standin), event_id="Ev0RETRY01", retry_num=n) for n in (1, 2, 3)
    ]
    assert [r.status for r in retries] == [200, 200, 200]
    assert len(standin.calls("views.publish")) == 1


def test_a_retry_whose_first_delivery_never_arrived_is_processed(
    server: Served, standin: RunningStandin
) -> None:
    server.slack(standin.workspace.team_id).event(
        home_opened(standin), event_id="Ev0LOST001", retry_num=1
    )
    assert len(standin.calls("views.publish")) == 1


def test_different_events_are_each_processed(server: Served, standin: RunningStandin) -> None:
    slack = server.slack(standin.workspace.team_id)
    slack.event(home_opened(standin), event_id="Ev0FIRST01")
    slack.event(home_opened(standin), event_id="Ev0SECOND1")
    assert len(standin.calls("views.publish")) == 2
