"""Plays Slack's part toward the Bolt app: signed commands, clicks, submissions and events.

The offline console and the tests both use it, so both exercise the same listeners a real
workspace would, through Bolt's signature check, with what Slack really sends: typed text
escaped as Slack escapes it, payloads in Slack's documented shapes (`payloads.py`).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

from slack_standin import payloads
from slack_standin.payloads import Json, Sender
from slack_standin.typed_text import as_slack_sends

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from slack_standin.running import RunningStandin
    from slack_standin.workspace import Workspace


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
    """Sends what Slack would send for one workspace, signed with the app's secret.

    With `workspace`, typed names (`@ana`, `@design`, `#design`) become Slack's references and
    payloads carry the user, channel and team names Slack sends beside the ids. With `standin`
    (its workspace then being the default one), custom steps and link_shared can be sent too:
    Slack's side of them (function tokens, shared links) lives in the stand-in.
    """

    def __init__(
        self,
        app: App,
        *,
        signing_secret: str,
        team_id: str,
        enterprise_id: str = "",
        clock: Callable[[], float] = time.time,
        workspace: Workspace | None = None,
        standin: RunningStandin | None = None,
    ) -> None:
        self.app = app
        self.team_id = team_id  # a test may switch workspaces between requests
        self.enterprise_id = enterprise_id
        self.workspace = workspace or (standin.workspace if standin else None)
        self.standin = standin
        self._signer = SignatureVerifier(signing_secret)
        self._clock = clock

    @property
    def sender(self) -> Sender:
        return Sender(self.team_id, self.enterprise_id, self.workspace)

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
        """`/command text` as the person typed it; Slack escapes it before sending."""
        form = payloads.command_form(
            self.sender,
            user_id=user_id,
            channel_id=channel_id,
            command=command,
            text=as_slack_sends(text, self.sender.workspace),
            urls={"response_url": response_url, "trigger_id": trigger_id},
        )
        return self.send(urlencode(form), "application/x-www-form-urlencoded")

    def interaction(self, payload: Json) -> BoltResponse:
        body = urlencode({"payload": json.dumps(payload)})
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
        """Click `action` (an element as the app built it, with its `block_id`) on a surface.

        `container` holds the surface's fields: `container` and `channel` + `message` for a
        message, `view` for a modal or the App Home. Slack sends no `message` for an
        ephemeral one, and a `response_url` only for messages.
        """
        surface = dict(container)
        if (surface.get("container") or {}).get("is_ephemeral"):
            surface.pop("message", None)
        if "channel" in surface:
            surface["channel"] = self.sender.channel(str(surface["channel"]["id"]))
        pressed = payloads.pressed_action(action, str(self._clock()))
        fields: Json = {"trigger_id": trigger_id, **surface, "state": {"values": {}}}
        if response_url:
            fields["response_url"] = response_url
        fields["actions"] = [pressed]
        return self.interaction(
            payloads.interaction(self.sender, "block_actions", user_id, **fields)
        )

    def submit(self, *, user_id: str, view: Json, values: Json, trigger_id: str) -> BoltResponse:
        """Submit `view` (as Slack stored it: id, hash, metadata) with `values` as its state."""
        submitted = {**view, "state": {"values": values}}
        fields = {"trigger_id": trigger_id, "view": submitted, "response_urls": []}
        return self.interaction(
            payloads.interaction(self.sender, "view_submission", user_id, **fields)
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
        """A global shortcut, or with `message` a message shortcut on it."""
        fields: Json = {"callback_id": callback_id, "trigger_id": trigger_id}
        fields["action_ts"] = str(self._clock())
        if message is None:
            payload = payloads.interaction(self.sender, "shortcut", user_id, **fields)
            return self.interaction(payload)
        fields |= {"channel": self.sender.channel(channel_id or ""), "message": message}
        fields |= {"message_ts": message.get("ts"), "response_url": response_url}
        return self.interaction(
            payloads.interaction(self.sender, "message_action", user_id, **fields)
        )

    def event(
        self, event: Json, *, event_id: str | None = None, retry_num: int | None = None
    ) -> BoltResponse:
        envelope = payloads.event_envelope(
            self.sender,
            event,
            event_id=event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            event_time=int(self._clock()),
        )
        extra = {}
        if retry_num is not None:
            extra = {"x-slack-retry-num": str(retry_num), "x-slack-retry-reason": "http_timeout"}
        return self.send(json.dumps(envelope), "application/json", **extra)

    def function_executed(self, *, callback_id: str, inputs: Json, user_id: str) -> str:
        """A workflow run by `user_id` reached the app's custom step `callback_id`.

        Returns the function_execution_id: `standin.function_outcome(id)` tells how it ended.
        ValueError for a function `Workspace.functions` lacks, or required inputs left out."""
        execution = self._standin().start_function_execution(callback_id, inputs, user_id)
        self.event(execution.event())
        return execution.id

    def link_shared(
        self, *, channel: str, user_id: str, message_ts: str, links: Sequence[str]
    ) -> BoltResponse:
        """Slack shares `links` of a person's message (`post_user_message`) with the app.

        ValueError for links Slack would not send: not in the message, or off the workspace's
        unfurl domains (`standin.links_in(text)` says which it would)."""
        standin = self._standin()
        share = standin.share_links(channel, message_ts, links)
        return self.event(share.event(standin.workspace.user(user_id).id))

    def post_with_links(self, *, channel: str, user_id: str, text: str) -> str:
        """`user_id` posts `text`; Slack shares its links on the unfurl domains, if any.

        Returns the message's ts."""
        standin = self._standin()
        ts = standin.post_user_message(channel, user_id, text)
        posted = next(m for m in standin.messages(channel) if m["ts"] == ts)
        links = [str(link["url"]) for link in standin.links_in(str(posted["text"]))]
        if links:
            self.link_shared(channel=channel, user_id=user_id, message_ts=ts, links=links)
        return ts

    def _standin(self) -> RunningStandin:
        if self.standin is None:
            raise ValueError("custom steps and link_shared need LocalSlack(standin=...)")
        return self.standin
