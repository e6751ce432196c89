"""Cost of one reminder poll (the worker's claim query) with 10k and with 1M rooms.

Usage: uv run python bench/bench_reminder_poll.py [--url URL] [--sizes 10000,1000000]
       [--repeat 300] [--keep]

Each size gets a fresh schema `bench_reminder_poll_<rooms>` in the `test` database (PostgreSQL on
127.0.0.1:5432, trust auth), migrated like production, then bulk-filled with generate_series:
rooms whose windows spread over ±90 days, three reminders each (1 day and 1 hour before the
end, and at the end), those already due marked sent, the rest pending, and then the latest
five due ones put back to pending (loaded without secondary indexes, which are then rebuilt
exactly as the migrations made them). One poll is `storage.reminders.claim_due` in a
transaction that is rolled back, so every repetition sees the same five due rows; the sizes
take turns poll by poll, so load from other processes weighs on both alike.

Goal: the 1M poll within 1.3x of the 10k poll, and under 5 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, make_url, text
from sqlmodel import Session

from storage.engine import make_engine
from storage.migrate import upgrade
from storage.reminders import claim_due

SCHEMA = "bench_reminder_poll"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
GOAL_RATIO, GOAL_MS = 1.3, 5.0
DUE_NOW = 5
Polls = list[tuple[float, float, int]]

ROOMS_SQL = """
INSERT INTO room (enterprise_id, team_id, number, creation_key, acs_room_id, title, title_key,
                  organizer_id, channel_id, card_ts, valid_from, valid_until,
                  pstn_dial_out_enabled, state, created_at, updated_at)
SELECT '', 'T' || (g % 500), g, 'key-' || g, 'acs-' || g, 'Room ' || g, 'room ' || g,
       'U0ORGANIZER', 'C0GENERAL', g || '.000100',
       :now - interval '90 days' + (g * :step) - interval '2 days',
       :now - interval '90 days' + (g * :step),
       false, 'active', :now, :now
FROM generate_series(1, :rooms) AS g
"""

REMINDERS_SQL = """
INSERT INTO reminder (enterprise_id, team_id, room_id, kind, lead_seconds, due_at, state,
                      attempts, created_at)
SELECT r.enterprise_id, r.team_id, r.id, k.kind, k.lead, r.valid_until - k.lead * interval '1 s',
       CASE WHEN r.valid_until - k.lead * interval '1 s' <= :now THEN 'sent' ELSE 'pending' END,
       0, r.created_at
FROM room AS r
CROSS JOIN (VALUES ('expiring', 86400), ('expiring', 3600), ('expired', 0)) AS k(kind, lead)
"""

LATEST_DUE_SQL = """
UPDATE reminder SET state = 'pending'
WHERE id IN (SELECT id FROM reminder WHERE due_at <= :now ORDER BY due_at DESC LIMIT :due)
"""

# Unique constraints first: the foreign keys need the keys they reference.
CONSTRAINTS_SQL = """
SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE connamespace = CAST(:schema AS regnamespace) AND contype IN ('u', 'f')
ORDER BY contype DESC
"""

INDEXES_SQL = """
SELECT indexname, indexdef FROM pg_indexes
WHERE schemaname = :schema AND tablename IN ('room', 'reminder') AND indexname NOT LIKE 'pk_%'
  AND indexname NOT IN (
    SELECT conname FROM pg_constraint WHERE connamespace = CAST(:schema AS regnamespace))
"""


def schema_for(rooms: int) -> str:
    return f"{SCHEMA}_{rooms}"


def in_schema(url: str, schema: str) -> str:
    return (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


def run_sql(url: str, *statements: str) -> None:
    base = make_engine(url)
    with base.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    base.dispose()


def fresh_schema(url: str, schema: str) -> Engine:
    run_sql(url, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', f'CREATE SCHEMA "{schema}"')
    engine = make_engine(in_schema(url, schema))
    upgrade(engine)
    return engine


def drop_secondary(connection: Connection, schema: str) -> list[str]:
    """Drop the unique/foreign-key constraints and plain indexes of room and reminder, for a
    fast bulk load; returns the statements that recreate them exactly."""
    constraints = connection.execute(text(CONSTRAINTS_SQL), {"schema": schema}).all()
    indexes = connection.execute(text(INDEXES_SQL), {"schema": schema}).all()
    for table, name, _ in reversed(constraints):
        connection.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    restore = [f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}' for t, n, d in constraints]
    return restore + [definition for _, definition in indexes]


def fill(engine: Engine, schema: str, rooms: int, now: datetime) -> float:
    """Bulk-insert `rooms` rooms and their reminders; returns the seconds it took."""
    started = time.perf_counter()
    step = timedelta(days=180) / rooms
    with engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
        restore = drop_secondary(connection, schema)
        connection.execute(text(ROOMS_SQL), {"now": now, "step": step, "rooms": rooms})
        connection.execute(text(REMINDERS_SQL), {"now": now})
        for statement in restore:
            connection.exec_driver_sql(statement)
        connection.execute(text(LATEST_DUE_SQL), {"now": now, "due": DUE_NOW})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE room")
        connection.exec_driver_sql("VACUUM ANALYZE reminder")
    return time.perf_counter() - started


def one_poll(engine: Engine, now: datetime) -> tuple[float, float, int]:
    """(ms for the claim statement, ms for the whole poll transaction, rows claimed).

    The poll adds taking a pooled connection (with its liveness ping) and the rollback."""
    started = time.perf_counter()
    with Session(engine) as session:
        session.connection()  # check out and ping now, so `claim` times the query alone
        claim_started = time.perf_counter()
        claimed = claim_due(
            session, now=now, owner="bench", lease_until=now + timedelta(minutes=1), limit=50
        )
        claim_ms = (time.perf_counter() - claim_started) * 1000
        session.rollback()
    return claim_ms, (time.perf_counter() - started) * 1000, len(claimed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--repeat", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="leave the schemas in place")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    now = datetime.now(UTC).replace(microsecond=0)
    engines = {size: fresh_schema(args.url, schema_for(size)) for size in sizes}
    try:
        fills = {size: fill(engines[size], schema_for(size), size, now) for size in sizes}
        polls = interleaved_polls(engines, now, args.repeat)
    finally:
        for engine in engines.values():
            engine.dispose()
    if not args.keep:
        run_sql(args.url, *(f'DROP SCHEMA "{schema_for(size)}" CASCADE' for size in sizes))
    report(sizes, fills, polls)
    return 0


def interleaved_polls(engines: dict[int, Engine], now: datetime, repeat: int) -> dict[int, Polls]:
    """Alternate the sizes poll by poll, so background load weighs on each alike."""
    for _ in range(20):  # warm the pools, the prepared statements and the index pages
        for engine in engines.values():
            one_poll(engine, now)
    polls: dict[int, Polls] = {size: [] for size in engines}
    for _ in range(repeat):
        for size, engine in engines.items():
            polls[size].append(one_poll(engine, now))
    return polls


def median_and_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def report(sizes: list[int], fills: dict[int, float], polls: dict[int, Polls]) -> None:
    print(
        f"{'rooms':>10} {'reminders':>10} {'fill s':>7} {'claimed':>7} "
        f"{'claim ms (p95)':>15} {'poll ms (p95)':>15}"
    )
    claims = {}
    for size in sizes:
        claims[size], claim_p95 = median_and_p95([claim for claim, _, _ in polls[size]])
        poll, poll_p95 = median_and_p95([poll for _, poll, _ in polls[size]])
        print(
            f"{size:>10,} {3 * size:>10,} {fills[size]:>7.1f} {polls[size][0][2]:>7} "
            f"{claims[size]:>7.2f} ({claim_p95:>5.2f}) {poll:>7.2f} ({poll_p95:>5.2f})"
        )
    small, large = claims[sizes[0]], claims[sizes[-1]]
    verdict = "ok" if large / small <= GOAL_RATIO and large < GOAL_MS else "MISSED"
    print(
        f"claim ratio {sizes[-1]:,} / {sizes[0]:,} rooms: {large / small:.2f} "
        f"(goal <= {GOAL_RATIO}, claim < {GOAL_MS} ms): {verdict}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    sys.exit(main())
