"""From an HTTP request to Slack's answer: auth, arranged faults, the method, the record."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from slack_standin.calls import CallLog, SlackCall
from slack_standin.checks.methods import refuse_unmet_rules
from slack_standin.methods import HANDLERS, NO_TOKEN_METHODS, USER_TOKEN_METHODS
from slack_standin.respond import apply_response
from slack_standin.signin import pages
from slack_standin.wire import (
    ApiError,
    Args,
    basic_credentials,
    bearer_token,
    for_the_record,
    parse_body,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from slack_standin.faults import Faults
    from slack_standin.state import StandinState

logger = logging.getLogger(__name__)


@dataclass
class HttpRequest:
    query: str
    content_type: str
    authorization: str | None
    body: bytes


@dataclass
class HttpReply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Outcome:
    """One call's result, before it becomes both an HTTP reply and a record."""

    status: int = 200
    payload: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None


class Router:
    def __init__(self, state: StandinState, faults: Faults, log: CallLog) -> None:
        self.state = state
        self.faults = faults
        self.log = log

    def api(self, method: str, request: HttpRequest) -> HttpReply:
        args: dict[str, Any] = {}
        token: str | None = None
        try:
            args = parse_body(request.body, request.content_type, request.query)
            token = bearer_token(request.authorization, args)
            args = {**basic_credentials(request.authorization), **args}
            outcome = self._answer(method, args, token)
        except ApiError as exc:
            outcome = _failure(exc)
        except Exception:
            # A stand-in bug must read as a Slack 500 with a log, not as a dropped connection.
            logger.exception("slack stand-in failed on %s", method)
            outcome = _failure(ApiError("fatal_error", status=500))
        self._record(method, args, token, outcome)
        return HttpReply(
            outcome.status, json.dumps(outcome.payload).encode(), headers=outcome.headers
        )

    def respond(self, url_id: str, request: HttpRequest) -> HttpReply:
        payload: dict[str, Any] = {}
        try:
            payload = parse_body(request.body, "application/json", "")
            self._raise_fault("response_url")
            with self.state.lock:
                target = self.state.responses.use(url_id, self.state.now())
                apply_response(self.state, target, payload)
            outcome = _Outcome(payload={"ok": True})
        except ApiError as exc:
            outcome = _failure(exc)
        self._record("response_url", {**payload, "response_url_id": url_id}, None, outcome)
        return _plain(outcome)

    def upload(self, file_id: str, request: HttpRequest) -> HttpReply:
        try:
            self._raise_fault("upload_url")
            with self.state.lock:
                self.state.uploads.receive(file_id, request.body)
            outcome = _Outcome(payload={"ok": True})
        except ApiError as exc:
            outcome = _failure(exc)
        self._record("upload_url", {"file_id": file_id, "length": len(request.body)}, None, outcome)
        if outcome.error:
            return _plain(outcome)
        return HttpReply(200, f"OK - {len(request.body)}".encode(), "text/plain")

    def signin(self, path: str, request: HttpRequest) -> HttpReply:
        """/openid/connect/...: Sign in with Slack's pages for the browser, and its keys."""
        return self._page(f"openid/connect/{path}", request)

    def discovery(self, path: str, request: HttpRequest) -> HttpReply:
        """/.well-known/...: the OpenID Connect discovery document."""
        return self._page(f".well-known/{path}", request)

    def _page(self, path: str, request: HttpRequest) -> HttpReply:
        args: dict[str, str] = {}
        try:
            parsed = parse_body(request.body, request.content_type, request.query)
            args = {name: str(value) for name, value in parsed.items()}
            with self.state.lock:
                page = pages.answer(self.state, path, args)
        except ApiError as exc:
            page = pages.Page(400, exc.code.encode(), "text/plain", error=exc.code)
        location = page.headers.get("Location")
        recorded = {"location": location} if location else {}
        self._record(path, args, None, _Outcome(page.status, recorded, {}, page.error))
        return HttpReply(page.status, page.body, page.content_type, page.headers)

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> _Outcome:
        handler = HANDLERS.get(method)
        if handler is None:
            raise ApiError("unknown_method")
        headers = self._authenticate(method, token)
        self._raise_fault(method)
        with self.state.lock:
            refuse_unmet_rules(method, args, self.state.workspace.scopes)
            result = handler(self.state, Args(args, token))
            # Round-trip now, under the lock, so later changes to stored objects can't leak in.
            payload = json.loads(json.dumps({"ok": True, **result}))
        return _Outcome(payload=payload, headers=headers)

    def _authenticate(self, method: str, token: str | None) -> dict[str, str]:
        if method in NO_TOKEN_METHODS:
            return {}
        if token is None:
            raise ApiError("not_authed")
        with self.state.lock:
            is_user_token, scopes = self._token_kind(token)
            if is_user_token != (method in USER_TOKEN_METHODS):
                raise ApiError("not_allowed_token_type")
            # Slack sends the token's scopes on every authenticated answer; Bolt reads it.
            return {"x-oauth-scopes": ",".join(scopes)}

    def _token_kind(self, token: str) -> tuple[bool, Sequence[str]]:
        """Whether `token` is a Sign in with Slack user token (else the bot's), and its scopes.

        A custom step's function token acts as the bot until its execution completes."""
        if self.state.tokens.allows(token) or self.state.executions.token_allows(
            token, self.state.now()
        ):
            return False, self.state.workspace.scopes
        grant = self.state.signins.grant_for(token)
        if grant is None:
            raise ApiError("invalid_auth")
        if self.state.user(grant.user_id).deleted:
            raise ApiError("account_inactive")  # deactivating someone revokes their tokens
        return True, grant.scopes

    def _raise_fault(self, method: str) -> None:
        fault = self.faults.take(method)
        if fault is not None:
            raise ApiError(fault.error, fault.status, fault.retry_after)

    def _record(
        self, method: str, args: Mapping[str, Any], token: str | None, out: _Outcome
    ) -> None:
        recorded = for_the_record(args)
        at = self.state.now()
        self.log.record(SlackCall(method, recorded, token, at, out.status, out.error, out.payload))


def _failure(exc: ApiError) -> _Outcome:
    headers = {} if exc.retry_after is None else {"Retry-After": str(exc.retry_after)}
    payload: dict[str, Any] = {"ok": False, "error": exc.code, **exc.fields}
    if exc.messages:
        # Slack's reasons, e.g. "[ERROR] … [json-pointer:/blocks/0/text]": a plain-text
        # response_url answer drops them, but the call log keeps this payload.
        payload["response_metadata"] = {"messages": exc.messages}
    return _Outcome(exc.status, payload, headers, exc.code)


def _plain(outcome: _Outcome) -> HttpReply:
    """response_url and upload URLs answer in plain text, as Slack's do."""
    text = outcome.error or "ok"
    return HttpReply(outcome.status, text.encode(), "text/plain; charset=utf-8", outcome.headers)
