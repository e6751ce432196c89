"""`/room create` with 50 invitees who have no ACS identity yet, with every ACS call taking
100 ms: time from the command to the room card reaching Slack.

Usage: uv run python bench/bench_fanout.py [--invitees 50] [--latency-ms 100] [--repeat 5]
       [--postgres URL]

`roombot serve` runs in its own process against the ACS emulator (`--latency-ms` on every
request) and the Slack stand-in (a workspace with enough extra people that every repetition
invites 50 who were never provisioned). The clock starts just before the signed command is
POSTed and stops when the stand-in receives the card's chat.postMessage (its own receive time).

Anchors, measured in the same run with one SDK call (CommunicationIdentityClient.create_user,
median of several): the round trip RTT; the sequential lower bound (invitees + 1) x RTT, one
identity after another and then the room; the parallel floor 2 x RTT, every identity at once
and then the room.

Goal: median end-to-end <= 0.6 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import _stack

GOAL_SECONDS = 0.6


def measure_rtt(connection_string: str, samples: int = 7) -> float:
    from bot.adapters.acs import make_acs_gateways

    _, identities = make_acs_gateways(connection_string=connection_string)
    identities.create_identity()  # the first call also opens the connection
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        identities.create_identity()
        times.append(time.perf_counter() - started)
    identities.close()
    return statistics.median(times)


def create_with(stand: _stack.Standin, serve: _stack.Serve, people: list[str], title: str) -> float:
    """Seconds from sending the command to the card's chat.postMessage reaching Slack."""
    url = stand.response_urls(1)[0]
    mentions = " ".join(f"<@{user}>" for user in people)
    body = _stack.command_body(f"create {title} for 30m {mentions}", url, f"fanout-{title}")
    while not stand.posts.empty():
        stand.posts.get()
    started = time.time()
    status = _stack.post(serve.events_url, body)
    if status != 200:
        raise RuntimeError(f"the command was answered {status}")
    at, args = stand.posts.get(timeout=30)
    if "blocks" not in args:
        raise RuntimeError("the first post was not a room card")
    return at - started


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitees", type=int, default=50, help="people invited (default 50)")
    parser.add_argument("--latency-ms", type=int, default=100, help="per ACS call (default 100)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions (default 5)")
    parser.add_argument("--postgres", metavar="URL", help="serve on this PostgreSQL database")
    return parser.parse_args()


def main() -> int:
    chosen = options()
    count, repeat = chosen.invitees, chosen.repeat
    users = [_stack.bench_user_id(i) for i in range(count * repeat)]
    with (
        _stack.workdir() as work,
        _stack.standin(extra_users=len(users)) as stand,
        _stack.running_serve(
            stand, work, latency_ms=chosen.latency_ms, postgres=chosen.postgres, grace=5
        ) as (serve, acs),
    ):
        warm = create_with(stand, serve, [], "warmup")  # organizer's identity, first imports
        print(f"warm-up create with no invitees: {warm:.3f} s")
        rtt = measure_rtt(acs)
        runs = []
        for rep in range(repeat):
            took = create_with(stand, serve, users[rep * count : (rep + 1) * count], f"f{rep}")
            runs.append(took)
            print(f"  repetition {rep + 1}: {took:.3f} s")
        rtt_after = measure_rtt(acs)
    report(runs, (rtt + rtt_after) / 2, count)
    return 0


def report(runs: list[float], rtt: float, count: int) -> None:
    median = statistics.median(runs)
    print(f"\none ACS round trip (create_user, median, before and after): {rtt * 1000:.0f} ms")
    print(f"create with {count} new identities, command -> card posted:")
    print(f"  median {median:.3f} s (range {min(runs):.3f}-{max(runs):.3f} s, {len(runs)} runs)")
    print(f"  sequential lower bound {count + 1} x RTT: {(count + 1) * rtt:.3f} s")
    print(f"  parallel floor 2 x RTT:               {2 * rtt:.3f} s")
    print(f"  median / parallel floor: {median / (2 * rtt):.2f}x")
    verdict = "meets" if median <= GOAL_SECONDS else "MISSES"
    print(f"\nverdict: {verdict} the goal of <= {GOAL_SECONDS} s")


if __name__ == "__main__":
    sys.exit(main())
