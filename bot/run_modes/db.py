"""`roombot db upgrade`: apply the migrations to DATABASE_URL. Also what every run mode that
needs the database at start says when it cannot have it (`database_outages`)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from bot.services.errors import StoreUnavailable
from storage.engine import make_engine
from storage.errors import StorageUnavailable
from storage.migrate import current_revision, upgrade

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bot.config import Settings


def run_upgrade(settings: Settings) -> int:
    with database_outages(settings):
        engine = make_engine(settings.effective_database_url)
        try:
            upgrade(engine)
            print(f"database is at revision {current_revision(engine)}")
        finally:
            engine.dispose()
    return 0


@contextmanager
def database_outages(settings: Settings) -> Iterator[None]:
    """A database that cannot serve (down, refusing us, its file not openable) becomes
    StoreUnavailable, which `roombot` prints as one line with exit status 2. Only that: any
    other error is a bug and keeps its traceback."""
    try:
        yield
    except StorageUnavailable as exc:
        raise StoreUnavailable(outage_line(settings.effective_database_url, exc)) from exc


def outage_line(database_url: str, exc: StorageUnavailable) -> str:
    """What failed and which database, on one line, without its password (drivers do not
    echo it; masking it anyway keeps that true for any driver)."""
    url = make_url(database_url)
    said = " ".join(str(exc).split())  # drivers write several lines (libpq adds a hint)
    for secret in (url.password, url.query.get("password")):
        if secret:
            said = said.replace(str(secret), "***")
    where = url.set(query={}).render_as_string(hide_password=True)
    return f"{said} ({where})"
