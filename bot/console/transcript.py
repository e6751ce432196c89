"""What the console prints: each Slack call the app made, as the person would see it."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_standin.render import render_message, render_view

if TYPE_CHECKING:
    from slack_bolt import BoltResponse

    from slack_standin import SlackCall, Workspace

Write = Callable[[str], None]


def indent(text: str) -> str:
    return "\n".join(f"  {line}" if line else "" for line in text.splitlines())


class Transcript:
    """Collects calls as they happen and prints them in order when the app has settled."""

    def __init__(self, workspace: Workspace, write: Write) -> None:
        self._workspace = workspace
        self._write = write
        self._lock = threading.Lock()
        self._calls: list[SlackCall] = []
        self.viewer_tz = "UTC"

    def record(self, call: SlackCall) -> None:
        with self._lock:
            self._calls.append(call)

    def flush(self) -> None:
        with self._lock:
            calls, self._calls = self._calls, []
        for call in calls:
            shown = self.describe(call)
            if shown:
                self._write(shown)

    def _render(self, message: dict[str, Any]) -> str:
        names = self._workspace.display_name
        return indent(render_message(message, names=names, tz=self.viewer_tz))

    def _view(self, view: dict[str, Any]) -> str:
        names = self._workspace.display_name
        return indent(render_view(view, names=names, tz=self.viewer_tz))

    def _channel(self, channel_id: object) -> str:
        name = self._workspace.display_name(str(channel_id))
        return name if name.startswith(("#", "@")) else f"#{name}"

    def describe(self, call: SlackCall) -> str | None:
        args, method = call.args, call.method
        if not call.ok and method in _SHOWN:
            return f"(Slack refused {method}: {call.error})"
        if method == "chat.postMessage":
            where = " (in the card's thread)" if args.get("thread_ts") else ""
            return f"{self._channel(args.get('channel'))} · RoomBot{where}\n{self._render(args)}"
        if method == "chat.update":
            where = self._channel(args.get("channel"))
            return f"{where} · RoomBot (card updated)\n{self._render(args)}"
        if method == "response_url":
            return self._response(args)
        if method in {"views.open", "views.push", "views.update"}:
            verb = "updated" if method == "views.update" else "opened"
            return f"[modal {verb}]\n{self._view(args['view'])}"
        if method == "views.publish":
            return f"[App Home]\n{self._view(args['view'])}"
        if method == "chat.unfurl":
            unfurls = args.get("unfurls") or {}
            shown = [f"{url}\n{self._render(dict(u))}" for url, u in unfurls.items()]
            return "\n".join(f"(link unfurled by RoomBot) {text}" for text in shown)
        return None

    def _response(self, args: dict[str, Any]) -> str | None:
        if args.get("delete_original") in (True, "true"):
            return "(the message was removed)"
        if args.get("response_type") == "in_channel":
            return f"(posted in the channel)\n{self._render(args)}"
        return f"(only visible to you)\n{self._render(args)}"

    def ack(self, response: BoltResponse) -> None:
        """What the immediate HTTP answer to Slack showed (only errors and texts matter)."""
        if response.status != 200:
            self._write(f"(Slack would show an error: HTTP {response.status})")
            return
        body = _json(response.body)
        if body.get("response_action") == "errors":
            for block_id, message in body.get("errors", {}).items():
                self._write(f"[form error] {block_id}: {message}")
        elif body.get("text") or body.get("blocks"):
            self._write(f"(only visible to you)\n{self._render(body)}")


def _json(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return {"text": text}
    return value if isinstance(value, dict) else {}


_SHOWN = {
    "chat.postMessage",
    "chat.update",
    "response_url",
    "views.open",
    "views.push",
    "views.update",
    "views.publish",
    "chat.unfurl",
}
