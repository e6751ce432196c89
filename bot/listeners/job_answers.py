"""A job's replies are part of the job: a re-run after a crash does not send them twice.

The work replies through `respond` in the same order each time it runs. Each reply sent is
counted on the job (storage `answers_sent`); a re-run skips as many replies as the earlier
runs sent and sends the rest. Only a crash between a reply and its count can repeat one.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.services.errors import StoreUnavailable

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.services.job_queue import RunningJob

log = logging.getLogger(__name__)


class AnswersOnce:
    def __init__(self, respond: Callable[..., Any], running: RunningJob) -> None:
        self.inner, self._running = respond, running  # inner: what sends the replies
        self._count = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self._count += 1
        job = self._running.job
        if self._count <= job.answers_sent:
            log.info("job %s: reply %s was sent by an earlier run", job.id, self._count)
            return None
        answer = self.inner(*args, **kwargs)
        try:
            self._running.queue.count_answer(job.id, self._count)
        except StoreUnavailable:
            log.warning(
                "job %s: could not count reply %s (database unavailable)", job.id, self._count
            )
        return answer
