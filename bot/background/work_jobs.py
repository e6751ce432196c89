"""What crosses from the serving process to a work process: a small picklable `Job` naming
the listener's work and carrying the request it answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.listeners.after_ack import Listener, parameters

# What a job carries of the listener arguments; the worker rebuilds the rest from them.
PORTABLE = frozenset({"body", "client", "respond"})


@dataclass(frozen=True)
class Job:
    """One piece of work: which listener's (by registration order, checked by name) and the
    request it answers. The token stays in memory and on the pipe, never in a log (nor in
    the job's repr)."""

    key: int
    name: str
    body: dict[str, Any]
    token: str | None = field(repr=False)
    team_id: str | None
    response_url: str | None


def work_name(work: Listener) -> str:
    return f"{work.__module__}.{work.__qualname__}"


def portable_parameters(work: Listener) -> tuple[str, ...]:
    """The work's parameters; refused at registration when a job could not carry one."""
    names = parameters(work)
    if extra := sorted(set(names) - PORTABLE):
        raise TypeError(f"{work_name(work)} takes {extra}; work after acks takes only {PORTABLE}")
    return names


def job_for(key: int, name: str, kwargs: dict[str, Any]) -> Job:
    client, respond = kwargs.get("client"), kwargs.get("respond")
    return Job(
        key=key,
        name=name,
        body=kwargs.get("body") or {},
        token=getattr(client, "token", None),
        # Bolt gives the request's client the team, for org-wide installs; it keeps it here.
        team_id=(getattr(client, "default_params", None) or {}).get("team_id"),
        response_url=getattr(respond, "response_url", None),
    )
