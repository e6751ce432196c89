"""The handle tests and the console hold: what Slack received, and levers to pull."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_standin.faults import Fault, Faults
from slack_standin.responses import ResponseTarget
from slack_standin.running_steps import StepsAndLinks
from slack_standin.signin import pages
from slack_standin.signin.grants import OidcClient
from slack_standin.typed_text import as_slack_sends, with_links

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from types import TracebackType

    from slack_standin.calls import CallLog, Listener, SlackCall
    from slack_standin.messages import Message
    from slack_standin.modals import View
    from slack_standin.slack_calls_state import CallObject
    from slack_standin.state import StandinState
    from slack_standin.uploads import UploadedFile
    from slack_standin.workspace import Workspace


class RunningStandin(StepsAndLinks):
    """A live stand-in. Channel and user arguments take an id or a name (`design`, `ana`).

    Custom steps and unfurls: `StepsAndLinks`."""

    def __init__(
        self,
        state: StandinState,
        faults: Faults,
        log: CallLog,
        bot_token: str,
        *,
        stop: Callable[[], None],
    ) -> None:
        self._state, self._faults, self._log = state, faults, log
        self.bot_token = bot_token
        self._stop = stop

    @property
    def root_url(self) -> str:
        return self._state.root_url

    @property
    def base_url(self) -> str:
        """Pass as `WebClient(base_url=...)`."""
        return f"{self._state.root_url}api/"

    @property
    def authorize_url(self) -> str:
        """Sign in with Slack's start: `OpenIDConnectAuthorizeUrlGenerator(authorization_url=)`."""
        return self._state.root_url + pages.AUTHORIZE_PATH

    @property
    def keys_url(self) -> str:
        """The public keys that verify ID tokens: `jwt.PyJWKClient(standin.keys_url)`."""
        return self._state.root_url + pages.KEYS_PATH

    @property
    def openid_configuration_url(self) -> str:
        return self._state.root_url + pages.CONFIGURATION_PATH

    @property
    def workspace(self) -> Workspace:
        return self._state.workspace

    # What Slack received

    def calls(self, method: str | None = None) -> list[SlackCall]:
        return self._log.calls(method)

    def wait_for(
        self,
        method: str,
        predicate: Callable[[SlackCall], bool] | None = None,
        timeout: float = 5.0,
    ) -> SlackCall:
        """The first recorded call to `method` matching `predicate` (clear() to forget old ones)."""
        return self._log.wait_for(method, predicate, timeout)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        return self._log.subscribe(listener)

    # What users would see

    def messages(self, channel: str) -> list[Message]:
        """The channel's history now: thread replies included, edits applied, deletions gone."""
        with self._state.lock:
            channel_id = self._channel_id(channel)
            history = self._state.history.history(channel_id)
            shown = (self._state.unfurls.decorated(channel_id, m) for m in history)
            return [self._state.slack_calls.decorated(m) for m in shown]

    def ephemerals(self, user: str) -> list[Message]:
        with self._state.lock:
            entries = self._state.ephemerals.for_user(self._user_id(user))
            return [self._state.slack_calls.decorated(e) for e in entries]

    # Slack Calls (calls.add …); copies, with `users`, `ended`, `date_end`, `duration`

    def slack_call(self, call_id: str) -> CallObject | None:
        with self._state.lock:
            return self._state.slack_calls.snapshot(call_id)

    def slack_call_by_external_id(self, external_unique_id: str) -> CallObject | None:
        with self._state.lock:
            found = self._state.slack_calls.find_by_external_id(external_unique_id)
            return None if found is None else self._state.slack_calls.snapshot(found.id)

    def slack_calls(self) -> list[CallObject]:
        with self._state.lock:
            return self._state.slack_calls.all()

    @property
    def views(self) -> dict[str, View]:
        """Open modals by view id."""
        with self._state.lock:
            return self._state.views.modals()

    def modal_stack(self, user: str) -> list[View]:
        """The user's open modals, bottom first; the last is the one on screen."""
        with self._state.lock:
            return self._state.views.stack(self._user_id(user))

    def home(self, user: str) -> View | None:
        with self._state.lock:
            return self._state.views.home(self._user_id(user))

    def file(self, file_id: str) -> UploadedFile | None:
        with self._state.lock:
            return self._state.uploads.get(file_id)

    def clear(self) -> None:
        """Forget calls, messages, ephemerals, views, Slack Calls, executions and unfurls."""
        with self._state.lock:
            self._log.clear()
            self._state.history.clear()
            self._state.ephemerals.clear()
            self._state.views.clear()
            self._state.slack_calls.clear()
            self._state.executions.clear()
            self._state.unfurls.clear()

    # Levers

    def fail_next(
        self,
        method: str,
        error: str,
        *,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls to `method` with `error` (method `response_url` too)."""
        self._faults.arrange(method, Fault(error, status, retry_after, times))

    def new_trigger_id(self, user: str | None = None) -> str:
        """A trigger id as an interaction payload would carry: single use, 3 s to live."""
        with self._state.lock:
            user_id = self._user_id(user) if user else self.workspace.humans()[0].id
            return self._state.triggers.issue(user_id, self._state.now())

    def new_response_url(
        self, channel_id: str, user_id: str, *, message_ts: str | None = None
    ) -> str:
        """A response_url; `message_ts` is the message a button was on (for replace_original)."""
        with self._state.lock:
            target = ResponseTarget(
                self._channel_id(channel_id), self._user_id(user_id), self._state.now()
            )
            target.original_ts = message_ts
            # A button on an ephemeral reply may replace that reply, as in Slack.
            target.original_is_ephemeral = bool(
                message_ts and self._state.ephemerals.find(message_ts) is not None
            )
            url_id = self._state.responses.issue(target)
        return f"{self.root_url}respond/{url_id}"

    def close_modals(self, user: str) -> None:
        """The user dismissed their modals (or the app answered `response_action: clear`)."""
        with self._state.lock:
            self._state.views.close(self._user_id(user))

    def post_user_message(self, channel: str, user: str, text: str, **extra: Any) -> str:
        """A message a person typed, e.g. for a message shortcut to act on; returns its ts.

        Slack stores typed text escaped, with known names as references and URLs as `<url>`."""
        with self._state.lock:
            ts = self._state.stamps.next()
            message = {
                "type": "message",
                "ts": ts,
                "user": self._user_id(user),
                "text": with_links(as_slack_sends(text, self.workspace)),
                **extra,
            }
            self._state.history.add(self._channel_id(channel), message)
            return ts

    def allow_token(self, token: str) -> None:
        with self._state.lock:
            self._state.tokens.allow(token)

    def revoke_token(self, token: str) -> None:
        with self._state.lock:
            self._state.tokens.revoke(token)

    def register_oidc_client(
        self, client_id: str, client_secret: str, redirect_urls: Iterable[str]
    ) -> OidcClient:
        """Let an app use Sign in with Slack; Slack redirects only to these exact URLs."""
        client = OidcClient(client_id, client_secret, tuple(redirect_urls))
        with self._state.lock:
            self._state.signins.register(client)
        return client

    # Lifetime

    def stop(self) -> None:
        """Stop serving; safe to call twice (a `with` block after an explicit stop)."""
        stop, self._stop = self._stop, lambda: None
        stop()

    def __enter__(self) -> RunningStandin:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _channel_id(self, key: str) -> str:
        """A channel id or name; a user id or name means the bot's DM with them."""
        ws = self.workspace
        if key in ws.channels or key[:1] == "D":
            return key
        try:
            return ws.channel(key).id
        except KeyError:
            return ws.open_dm(ws.user(key).id).id

    def _user_id(self, key: str) -> str:
        return key if key in self.workspace.users else self.workspace.user(key).id
