"""Is this instance fit to serve? The database decides, and the worker processes where they
run the work (an instance whose work processes keep dying acks but never does anything); ACS trouble
is reported, not fatal.

An instance whose database is gone can do nothing useful, so a load balancer should stop
sending it requests. ACS being down is not the instance's fault, and every other instance
sees the same ACS: taking them all out of rotation would only silence the bot's explanations.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from bot.services.errors import RoomBotError, StoreUnavailable
from bot.services.uow import unit_of_work

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.services.ports import RoomsGateway

# A health check must answer quickly; ACS calls retry for up to ~10 s when ACS is unreachable.
ACS_WAIT_SECONDS = 3.0
# Checked again on every request: the instance serves again as soon as the database is back.
DATABASE_DOWN = "the database is unavailable"


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


@dataclass(frozen=True)
class Health:
    database: Check
    acs: Check
    work: Check | None = None  # the worker processes, where the work after acks runs there

    @property
    def ok(self) -> bool:
        return self.database.ok and (self.work is None or self.work.ok)

    def as_json(self) -> dict[str, object]:
        checks = {"database": self.database, "acs": self.acs}
        if self.work is not None:
            checks["work"] = self.work
        return {
            "status": "ok" if self.ok else "unavailable",
            "checks": {name: {"ok": c.ok, "detail": c.detail} for name, c in checks.items()},
        }


class HealthCheck:
    def __init__(
        self,
        *,
        engine: Engine,
        rooms: RoomsGateway,
        acs_wait_s: float = ACS_WAIT_SECONDS,
        work: Callable[[], Check] | None = None,
    ) -> None:
        self._engine = engine
        self._rooms = rooms
        self._work = work
        self._acs_wait_s = acs_wait_s
        # One probe at a time: a hanging ACS must not pile up a thread per health request.
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="acs-probe")
        self._lock = threading.Lock()
        self._probe: Future[None] | None = None

    def check(self) -> Health:
        work = self._work() if self._work is not None else None
        return Health(database=self._database(), acs=self._acs(), work=work)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _database(self) -> Check:
        try:
            with unit_of_work(self._engine) as session:
                session.connection().execute(text("SELECT 1"))
        except StoreUnavailable:
            return Check(False, DATABASE_DOWN)
        except Exception as exc:  # any failure at all means "not fit to serve", never a crash
            return Check(False, _reason(exc))
        return Check(True, "ok")

    def _acs(self) -> Check:
        try:
            self._current_probe().result(timeout=self._acs_wait_s)
        except FutureTimeout:
            return Check(False, f"ACS did not answer within {self._acs_wait_s:g} s")
        except Exception as exc:  # reported in the detail; ACS trouble never fails the check
            return Check(False, _reason(exc))
        return Check(True, "ok")

    def _current_probe(self) -> Future[None]:
        with self._lock:
            if self._probe is None or self._probe.done():
                self._probe = self._pool.submit(self._rooms.probe)
            return self._probe


def _reason(exc: Exception) -> str:
    # /healthz is often reachable from outside: unexpected errors show their type, not their
    # text, which may name hosts or users.
    return exc.message if isinstance(exc, RoomBotError) else f"unexpected {type(exc).__name__}"
