"""RunningStandin's part for custom steps (function executions) and link unfurls.

`LocalSlack.function_executed` and `LocalSlack.link_shared` call the `start_…`/`share_…`
methods before sending their events; tests read the outcomes here. A ValueError means a test
asked for something Slack would never send.
"""

from __future__ import annotations

import copy
import secrets
from typing import TYPE_CHECKING, Any

from slack_standin.executions import (
    Execution,
    event_function,
    missing_required,
    new_function_token,
)
from slack_standin.unfurls import Share, links_in

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from slack_standin.state import StandinState

Json = dict[str, Any]


class StepsAndLinks:
    _state: StandinState

    def _channel_id(self, key: str) -> str:
        raise NotImplementedError  # RunningStandin's

    def _user_id(self, key: str) -> str:
        raise NotImplementedError  # RunningStandin's

    # Custom steps

    def start_function_execution(
        self, callback_id: str, inputs: Mapping[str, Any], user: str
    ) -> Execution:
        """A workflow reached the app's step `callback_id`: a new execution, its function token.

        ValueError for a function `Workspace.functions` lacks or required inputs left out (a
        workflow cannot run a step without them)."""
        with self._state.lock:
            spec = self._state.workspace.functions.get(callback_id)
            if spec is None:
                raise ValueError(
                    f"the app defines no function {callback_id!r} (Workspace.functions)"
                )
            function = event_function(callback_id, spec, self._state.workspace.app_id)
            missing = missing_required(function["input_parameters"], inputs)
            if missing:
                raise ValueError(f"{callback_id} needs its required inputs {missing}")
            execution = Execution(
                # Slack's execution ids are unique everywhere, not per workspace: apps key
                # idempotent work on them (RoomBot's room creations do), so never reuse one.
                unique_id("Fx"),
                unique_id("Wx"),
                function,
                copy.deepcopy(dict(inputs)),
                self._user_id(user),
                new_function_token(),
                self._state.now(),
            )
            return copy.deepcopy(self._state.executions.start(execution))

    def function_outcome(self, execution_id: str) -> Json | None:
        """`{"outputs": {...}}` or `{"error": "..."}` once the app completed it, else None."""
        with self._state.lock:
            found = self._state.executions.get(execution_id)
            return None if found is None else copy.deepcopy(found.outcome)

    def function_executions(self) -> list[Json]:
        """Every execution: id, workflow_execution_id, callback_id, inputs, user_id, outcome."""
        with self._state.lock:
            return self._state.executions.records()

    # Unfurls

    def links_in(self, text: str) -> list[Json]:
        """The links Slack would send in link_shared for a message with `text` (as stored)."""
        with self._state.lock:
            return links_in(text, self._state.workspace.unfurl_domains)

    def share_links(self, channel: str, message_ts: str, urls: Iterable[str]) -> Share:
        """Note the links of a person's message as sent to the app; `unfurl_id` and all.

        ValueError for a message that is not there, is the app's own, or lacks one of `urls` on
        the workspace's unfurl domains."""
        with self._state.lock:
            channel_id = self._channel_id(channel)
            message = self._state.history.find(channel_id, message_ts)
            if message is None or message.get("bot_id") == self._state.workspace.bot_id:
                raise ValueError(f"no message {message_ts} by a person in {channel_id}")
            found = {link["url"]: link for link in self.links_in(str(message.get("text", "")))}
            strays = [url for url in urls if url not in found]
            if strays:
                raise ValueError(f"Slack shares no {strays} from that message: {list(found)}")
            where = self._state.workspace.channels[channel_id]
            thread_ts = message.get("thread_ts")
            share = Share(
                channel_id,
                message_ts,
                [found[url] for url in dict.fromkeys(urls)],
                self._state.workspace.bot_user_id in where.members,
                thread_ts if thread_ts != message_ts else None,
            )
            self._state.unfurls.share(share)
            return copy.deepcopy(share)  # this event's links, though the message keeps all

    def unfurls(self, channel: str, ts: str) -> dict[str, Json]:
        """What the app attached to a message's links with chat.unfurl: url → unfurl."""
        with self._state.lock:
            return self._state.unfurls.attached(self._channel_id(channel), ts)


def unique_id(prefix: str) -> str:
    """`Fx…`/`Wx…` like Slack's: never the same twice, in any stand-in."""
    return f"{prefix}0{secrets.token_hex(5).upper()}"
