"""Schema migrations, run programmatically: no alembic.ini is needed at runtime."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Final

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from storage.errors import unavailable_on_connection_errors

MIGRATIONS_DIR: Final = Path(__file__).with_name("migrations")
# Any constant shared by every RoomBot process works; this one spells "RoomBot".
ADVISORY_LOCK_KEY: Final = 0x526F6F6D426F74
# Alembic runs env.py through a process-global `context` proxy, so two threads of one
# process must not migrate at once even against different databases.
_ALEMBIC_IN_USE: Final = threading.Lock()


def alembic_config(url: str | None = None) -> Config:
    """Alembic's config for our migrations; `url` only for the CLI-style fallback in env.py."""
    config = Config()
    # ConfigParser reads "%" as interpolation, so paths and URLs must escape it.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def current_revision(engine: Engine) -> str | None:
    with unavailable_on_connection_errors(), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Migrate to head in one transaction; concurrent callers wait and then find nothing to do."""
    config = alembic_config()
    with _ALEMBIC_IN_USE, unavailable_on_connection_errors(), engine.begin() as connection:
        _lock_for_migration(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def ensure_schema(engine: Engine) -> None:
    """Startup check: migrate only when behind, so a current database takes no lock."""
    if current_revision(engine) != head_revision():
        upgrade(engine)


def _lock_for_migration(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Released at commit; DDL is transactional there, so waiters see the finished schema.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    # SQLite: every transaction begins IMMEDIATE (storage/engine.py), so this one holds the
    # write lock from its start, which makes the migration atomic and serialises processes
    # sharing the file (SQLite DDL is transactional). Note for future revisions: PRAGMAs like
    # foreign_keys are no-ops inside it.
