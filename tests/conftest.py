"""Fixtures for the whole suite: every test gets a migrated, empty store, and a Slack
stand-in of the demo workspace when it asks for `standin`.

SQLite by default; set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)
to run the same tests on PostgreSQL. On PostgreSQL the session works in a schema of its own,
so two test runs against one database never truncate each other's tables.

To hand a test's database to a subprocess, use `engine_url`; `database_url` is shared by the
whole session and, on SQLite, is not the per-test file.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text

from slack_standin import RunningStandin, demo_workspace, start_slack_standin
from storage.engine import default_database_url, is_sqlite, make_engine
from storage.migrate import upgrade
from storage.models import metadata

# secret_scan fails the session if a token, signing secret or ACS key shows up in any output;
# pytester lets tests/bot/security prove that it does. browser: offline Chromium for the join page.
pytest_plugins = ["pytester", "tests.support.secret_scan", "tests.support.browser"]


def _in_schema(url: str, schema: str) -> str:
    """`url` with every connection's search_path set to `schema` (a libpq option)."""
    return (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


def _run_on(url: str, sql: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(sql)
    finally:
        engine.dispose()


SCHEMA_PREFIX = "roombot_test_"
# A run killed before its teardown leaves its schema behind; later runs sweep such leftovers
# once they are surely not in use any more.
LEFTOVER_AFTER_SECONDS = 6 * 3600


@contextmanager
def _private_schema(base_url: str) -> Iterator[str]:
    schema = f"{SCHEMA_PREFIX}{int(time.time())}_{uuid.uuid4().hex[:8]}"
    _run_on(base_url, f'CREATE SCHEMA "{schema}"')
    try:
        yield _in_schema(base_url, schema)
    finally:
        _run_on(base_url, f'DROP SCHEMA "{schema}" CASCADE')


def _drop_leftover_schemas(base_url: str) -> None:
    engine = make_engine(base_url)
    try:
        with engine.begin() as connection:
            names = connection.execute(
                text("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, :prefix)"),
                {"prefix": SCHEMA_PREFIX},
            ).scalars()
            for name in [n for n in names if _is_leftover(n)]:
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    finally:
        engine.dispose()


def _is_leftover(schema: str) -> bool:
    created = schema.removeprefix(SCHEMA_PREFIX).split("_")[0]
    return created.isdigit() and time.time() - int(created) > LEFTOVER_AFTER_SECONDS


@pytest.fixture(scope="session")
def _postgresql_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL") or None
    if not url or make_url(url).get_backend_name() != "postgresql":
        return None
    _drop_leftover_schemas(url)
    return url


@pytest.fixture(scope="session")
def database_url(
    _postgresql_url: str | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The session's database: TEST_DATABASE_URL (in a fresh schema) or a SQLite file."""
    if _postgresql_url is None:
        yield os.environ.get("TEST_DATABASE_URL") or default_database_url(
            tmp_path_factory.mktemp("database")
        )
        return
    with _private_schema(_postgresql_url) as url:
        yield url


@pytest.fixture
def empty_database_url(_postgresql_url: str | None, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all, not even alembic_version: for migration tests."""
    if _postgresql_url is None:
        yield default_database_url(tmp_path / "empty")
        return
    with _private_schema(_postgresql_url) as url:
        yield url


@pytest.fixture(scope="session")
def _migrated_engine(database_url: str) -> Iterator[Engine]:
    """Migrated once per session; on SQLite it is the template each test's file copies."""
    engine = make_engine(database_url)
    upgrade(engine)
    if is_sqlite(engine):
        # Fold the WAL into the main file so copying that one file copies the whole schema
        # (outside a transaction: the driver's own connection, which begins none itself).
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    yield engine
    engine.dispose()


def _empty_all_tables(engine: Engine) -> None:
    """TRUNCATE's effect (rows gone, ids from 1) at a tenth of its cost on tiny tables.

    TRUNCATE swaps every table's and index's files and measured ~160 ms per test here;
    DELETE children-first plus resetting the id sequences takes ~10 ms. The tables come
    from the metadata, so ones added by later migrations are emptied too.
    """
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
            if table.autoincrement_column is not None:
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, :column), 1, false)"),
                    {"table": table.name, "column": table.autoincrement_column.name},
                )


@pytest.fixture
def engine(_migrated_engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database for this test alone."""
    if not is_sqlite(_migrated_engine):
        _empty_all_tables(_migrated_engine)
        yield _migrated_engine
        return
    template = _migrated_engine.url.database
    assert template is not None
    shutil.copyfile(template, tmp_path / "roombot.db")
    engine = make_engine(default_database_url(tmp_path))
    yield engine
    engine.dispose()


@pytest.fixture
def engine_url(engine: Engine) -> str:
    """The URL of this test's database, password included, for a subprocess or a CLI."""
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def standin() -> Iterator[RunningStandin]:
    """The demo workspace's Slack stand-in (directories with other needs override this)."""
    with start_slack_standin(demo_workspace()) as running:
        yield running


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
