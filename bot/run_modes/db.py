"""`roombot db upgrade`: apply the migrations to DATABASE_URL."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage.engine import make_engine
from storage.migrate import current_revision, upgrade

if TYPE_CHECKING:
    from bot.config import Settings


def run_upgrade(settings: Settings) -> int:
    engine = make_engine(settings.effective_database_url)
    try:
        upgrade(engine)
        print(f"database is at revision {current_revision(engine)}")
    finally:
        engine.dispose()
    return 0
