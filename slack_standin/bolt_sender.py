"""Plays Slack's part toward the Bolt app: signed commands, clicks, submissions and events.

The offline console and the tests both use it, so both exercise the same listeners a real
workspace would, through Bolt's signature check.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

Json = dict[str, Any]
APP_ID = "A0ROOMBOT"


class IdleExecutor(ThreadPoolExecutor):
    """A listener pool that knows when it has nothing left to do."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers, thread_name_prefix="listener")
        self._pending = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)


class LocalSlack:
    """Sends what Slack would send for one workspace, signed with the app's secret."""

    def __init__(
        self,
        app: App,
        *,
        signing_secret: str,
        team_id: str,
        enterprise_id: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.team_id = team_id
        self.enterprise_id = enterprise_id
        self._signer = SignatureVerifier(signing_secret)
        self._clock = clock

    def signed_headers(self, body: str, *, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(int(self._clock()) if timestamp is None else timestamp)
        signature = self._signer.generate_signature(timestamp=stamp, body=body) or ""
        return {"x-slack-request-timestamp": stamp, "x-slack-signature": signature}

    def send(self, body: str, content_type: str, **extra_headers: str) -> BoltResponse:
        headers: dict[str, str | Sequence[str]] = {
            "content-type": content_type,
            **self.signed_headers(body),
            **extra_headers,
        }
        return self.app.dispatch(BoltRequest(body=body, headers=headers))

    def command(
        self,
        *,
        user_id: str,
        channel_id: str,
        text: str,
        response_url: str,
        trigger_id: str,
        command: str = "/room",
    ) -> BoltResponse:
        form = {
            "token": "unused",
            "team_id": self.team_id,
            "enterprise_id": self.enterprise_id,
            "channel_id": channel_id,
            "user_id": user_id,
            "command": command,
            "text": text,
            "response_url": response_url,
            "trigger_id": trigger_id,
            "api_app_id": APP_ID,
        }
        return self.send(urlencode(form), "application/x-www-form-urlencoded")

    def interaction(self, payload: Json) -> BoltResponse:
        envelope = {
            "team": {"id": self.team_id},
            "enterprise": {"id": self.enterprise_id} if self.enterprise_id else None,
            "api_app_id": APP_ID,
            "token": "unused",
            **payload,
        }
        body = urlencode({"payload": json.dumps(envelope)})
        return self.send(body, "application/x-www-form-urlencoded")

    def press(
        self,
        *,
        user_id: str,
        action: Json,
        trigger_id: str,
        container: Json,
        response_url: str | None = None,
    ) -> BoltResponse:
        """Click `action` (a button element as the app built it) on a message or a view."""
        pressed = {**action, "action_ts": str(self._clock())}
        pressed.setdefault("block_id", "unknown")
        payload: Json = {
            "type": "block_actions",
            "user": {"id": user_id, "team_id": self.team_id},
            "trigger_id": trigger_id,
            "actions": [pressed],
            **container,
        }
        if response_url:
            payload["response_url"] = response_url
        return self.interaction(payload)

    def submit(self, *, user_id: str, view: Json, values: Json, trigger_id: str) -> BoltResponse:
        submitted = {**view, "state": {"values": values}}
        return self.interaction(
            {
                "type": "view_submission",
                "user": {"id": user_id, "team_id": self.team_id},
                "trigger_id": trigger_id,
                "view": submitted,
                "response_urls": [],
            }
        )

    def shortcut(
        self,
        *,
        user_id: str,
        callback_id: str,
        trigger_id: str,
        message: Json | None = None,
        channel_id: str | None = None,
        response_url: str | None = None,
    ) -> BoltResponse:
        payload: Json = {
            "type": "message_action" if message else "shortcut",
            "callback_id": callback_id,
            "trigger_id": trigger_id,
            "user": {"id": user_id, "team_id": self.team_id},
        }
        if message:
            payload |= {
                "message": message,
                "channel": {"id": channel_id},
                "response_url": response_url,
            }
        return self.interaction(payload)

    def event(
        self, event: Json, *, event_id: str | None = None, retry_num: int | None = None
    ) -> BoltResponse:
        envelope = {
            "token": "unused",
            "team_id": self.team_id,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(self._clock()),
            "authorizations": [{"team_id": self.team_id, "is_bot": True}],
        }
        extra = (
            {}
            if retry_num is None
            else {
                "x-slack-retry-num": str(retry_num),
                "x-slack-retry-reason": "http_timeout",
            }
        )
        return self.send(json.dumps(envelope), "application/json", **extra)
