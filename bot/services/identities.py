"""Slack user -> ACS identity: provisioned on first need, exactly once per user and workspace."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from bot.services.attempts import Action, AttemptLog, Context, Outcome
from bot.services.clock import Clock, utc_now
from bot.services.errors import RoomBotError
from bot.services.uow import unit_of_work
from storage import identities as repo

if TYPE_CHECKING:
    from collections.abc import Collection

    from sqlalchemy import Engine

    from bot.services.domain import Workspace
    from bot.services.ports import IdentityGateway

log = logging.getLogger(__name__)

# ACS Identity allows hundreds of creations per 30 s; 32 at once keeps a 50-person
# invite to two round trips without hammering the service.
MAX_CONCURRENT_PROVISIONING = 32
# Identities this process has seen stored, kept so that most operations (which name people who
# have one already) need no query for them. A stored identity is never changed or removed;
# the cap keeps a process's memory flat however many people it meets.
KNOWN_IDENTITIES_KEPT = 10_000


class IdentityService:
    def __init__(
        self,
        *,
        engine: Engine,
        gateway: IdentityGateway,
        clock: Clock = utc_now,
        max_concurrency: int = MAX_CONCURRENT_PROVISIONING,
        attempts: AttemptLog | None = None,
    ) -> None:
        self.attempts = attempts or AttemptLog()
        self._engine = engine
        self._gateway = gateway
        self._clock = clock
        self._pool = ThreadPoolExecutor(max_concurrency, thread_name_prefix="acs-identity")
        self._known = KnownIdentities(KNOWN_IDENTITIES_KEPT)

    def ensure_identities(
        self, workspace: Workspace, slack_user_ids: Collection[str]
    ) -> dict[str, str]:
        """Map each Slack user to an ACS id, creating the missing identities concurrently."""
        wanted = list(dict.fromkeys(slack_user_ids))
        found = self._known.get(workspace, wanted)
        unknown = [user for user in wanted if user not in found]
        if unknown:
            stored = self._stored(workspace, unknown)
            stored.update(self._provision(workspace, [u for u in unknown if u not in stored]))
            self._known.add(workspace, stored)
            found.update(stored)
        return {user: found[user] for user in wanted}

    def _stored(self, workspace: Workspace, slack_user_ids: list[str]) -> dict[str, str]:
        with unit_of_work(self._engine) as session:
            known = repo.find_identities(
                session,
                enterprise_id=workspace.enterprise_id,
                team_id=workspace.team_id,
                slack_user_ids=slack_user_ids,
            )
        return {user: row.acs_user_id for user, row in known.items()}

    def _provision(self, workspace: Workspace, slack_user_ids: list[str]) -> dict[str, str]:
        """Create the identities concurrently, then store them all in one transaction.

        One commit per person made 32 threads queue on the database's write lock (SQLite
        backs off in sleeps): 50 invitees spent ~0.3 s there, more than their two round trips
        to ACS. Identities created before one of them failed are still stored; then the first
        error is raised."""
        if not slack_user_ids:
            return {}
        futures = [self._pool.submit(self._gateway.create_identity) for _ in slack_user_ids]
        created: dict[str, str] = {}
        failure: Exception | None = None
        for user, future in zip(slack_user_ids, futures, strict=True):
            try:
                created[user] = future.result()
            except Exception as exc:  # store the others, then raise the first
                failure = failure or exc
        stored = self._claim(workspace, created)
        if failure is not None:
            raise failure
        return stored

    def _claim(self, workspace: Workspace, created: dict[str, str]) -> dict[str, str]:
        if not created:
            return {}
        with unit_of_work(self._engine) as session:
            rows = {
                user: repo.claim_identity(
                    session,
                    enterprise_id=workspace.enterprise_id,
                    team_id=workspace.team_id,
                    slack_user_id=user,
                    acs_user_id=acs_id,
                    now=self._clock(),
                ).acs_user_id
                # Sorted: two requests claiming overlapping people lock them in the same
                # order, so on PostgreSQL neither waits on the other in a cycle (a deadlock).
                for user, acs_id in sorted(created.items())
            }
        for user, acs_id in created.items():
            self._settle(workspace, user, acs_id, rows[user])
        return rows

    def _settle(self, workspace: Workspace, slack_user_id: str, acs_id: str, stored: str) -> None:
        if stored != acs_id:
            # Another request won the race; ours is a spare nobody will ever use.
            self._discard_spare(acs_id)
            return
        context = Context(
            Action.IDENTITY_PROVISIONED,
            workspace,
            None,
            detail={"slack_user": slack_user_id, "acs_id": acs_id},
        )
        self.attempts.tell(context.ended(Outcome.OK, self._clock()))

    def _discard_spare(self, acs_id: str) -> None:
        try:
            self._gateway.delete_identity(acs_id)
        except RoomBotError as exc:
            log.warning("could not delete a spare ACS identity: %s", exc.message)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class KnownIdentities:
    """Slack user -> ACS id as stored, per workspace, for at most `limit` people (the oldest
    are forgotten first). Only ids read from or claimed in the store are added."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._ids: dict[tuple[str, str, str], str] = {}
        self._lock = threading.Lock()

    def get(self, workspace: Workspace, slack_user_ids: list[str]) -> dict[str, str]:
        ws = (workspace.enterprise_id, workspace.team_id)
        with self._lock:
            found = {user: self._ids.get((*ws, user)) for user in slack_user_ids}
        return {user: acs_id for user, acs_id in found.items() if acs_id is not None}

    def add(self, workspace: Workspace, acs_ids: dict[str, str]) -> None:
        ws = (workspace.enterprise_id, workspace.team_id)
        with self._lock:
            for user, acs_id in acs_ids.items():
                self._ids[(*ws, user)] = acs_id
            while len(self._ids) > self._limit:
                del self._ids[next(iter(self._ids))]
