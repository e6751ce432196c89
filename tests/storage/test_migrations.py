"""Migrations: idempotent, safe to run concurrently, and exactly what the models describe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from subprocess import PIPE

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from storage.engine import default_database_url, make_engine
from storage.migrate import (
    alembic_config,
    current_revision,
    ensure_schema,
    head_revision,
    upgrade,
)
from storage.models import metadata

APP_TABLES = {"acs_identity", "room", "room_member"}


def test_the_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_the_migrated_schema_names_its_constraints_by_the_convention(engine: Engine) -> None:
    unique = {c["name"] for c in inspect(engine).get_unique_constraints("room")}
    assert unique == {
        "uq_room_acs_room_id",
        "uq_room_enterprise_id_team_id_creation_key",
        "uq_room_enterprise_id_team_id_number",
    }
    (foreign_key,) = inspect(engine).get_foreign_keys("room_member")
    assert (foreign_key["name"], foreign_key["options"].get("ondelete")) == (
        "fk_room_member_room_id_room",
        "CASCADE",
    )


def test_rooms_made_before_join_keys_each_get_their_own_and_keep_their_rosters(
    empty_database_url: str,
) -> None:
    """0005 gives every existing room a distinct random join key, in place: a rebuilt room
    table would have taken its members with it (ON DELETE CASCADE)."""
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "0004_jobs")
        with engine.begin() as connection:
            for number in (1, 2, 3):
                connection.execute(text(_OLD_ROOM), {"number": number, "key": f"k{number}"})
            connection.execute(text(_OLD_MEMBER))
        upgrade(engine)
        with engine.connect() as connection:
            keys = connection.execute(text("SELECT join_key FROM room")).scalars().all()
            members = connection.execute(text("SELECT count(*) FROM room_member")).scalar()
    finally:
        engine.dispose()
    assert members == 1
    assert len(set(keys)) == 3
    assert all(isinstance(k, str) and len(k) == 22 for k in keys)


_OLD_ROOM = (
    "INSERT INTO room (enterprise_id, team_id, number, creation_key, title, title_key, "
    "organizer_id, valid_from, valid_until, pstn_dial_out_enabled, state, created_at, updated_at)"
    " VALUES ('', 'T1', :number, :key, 't', 't', 'U1', '2026-12-07 09:00:00+00:00', "
    "'2026-12-07 10:00:00+00:00', false, 'active', '2026-12-07 08:00:00+00:00', "
    "'2026-12-07 08:00:00+00:00')"
)
_OLD_MEMBER = (
    "INSERT INTO room_member (room_id, slack_user_id, acs_user_id, role, added_at) "
    "SELECT min(id), 'U2', '8:acs:x', 'Attendee', '2026-12-07 08:00:00+00:00' FROM room"
)


def test_a_migrated_database_is_at_head(engine: Engine) -> None:
    assert current_revision(engine) == head_revision() == "0006_room_calls"


def test_an_empty_database_has_no_revision(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    assert current_revision(engine) is None
    engine.dispose()


def test_upgrading_an_up_to_date_database_changes_nothing(engine: Engine) -> None:
    upgrade(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert set(inspect(engine).get_table_names()) >= APP_TABLES


def test_ensure_schema_creates_a_fresh_sqlite_file(tmp_path: Path) -> None:
    engine = make_engine(default_database_url(tmp_path / "new"))
    ensure_schema(engine)
    assert (tmp_path / "new" / "roombot.db").is_file()
    assert set(inspect(engine).get_table_names()) >= APP_TABLES
    assert current_revision(engine) == head_revision()
    engine.dispose()


# Imports (env.py's too) happen before the signal, so the processes really migrate together.
MIGRATE_ON_SIGNAL = """
import sys
import storage.models
from storage.engine import make_engine
from storage.migrate import current_revision, upgrade
engine = make_engine(sys.argv[1])
sys.stdin.readline()
upgrade(engine)
print(current_revision(engine))
"""


def test_processes_upgrading_an_empty_database_at_once_all_succeed(
    empty_database_url: str,
) -> None:
    command = [sys.executable, "-c", MIGRATE_ON_SIGNAL, empty_database_url]
    processes = [
        subprocess.Popen(command, stdin=PIPE, stdout=PIPE, stderr=PIPE, text=True) for _ in range(2)
    ]
    for process in processes:  # signal both before waiting for either
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    outcomes = [process.communicate(timeout=60) for process in processes]
    errors = [err[-1000:] for _, err in outcomes]
    revisions = [out.strip() for out, _ in outcomes]
    assert [p.returncode for p in processes] == [0, 0], errors
    assert revisions == [head_revision()] * 2


def test_the_slack_tables_match_slack_sdks_own_definitions(engine: Engine) -> None:
    """slack_sdk's installation and state stores must work on the tables our migrations make."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
    from sqlalchemy import MetaData

    theirs = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(theirs, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(theirs, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, "slack_oauth_states")
    inspector = inspect(engine)
    for table in theirs.sorted_tables:
        ours = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
        assert ours == {c.name: c.nullable for c in table.columns}, table.name
