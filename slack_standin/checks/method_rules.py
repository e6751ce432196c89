"""Required arguments and bot scopes of every Web API method the stand-in serves.

`FROM_SPEC` is Slack's Web API OpenAPI spec (slackapi/slack-api-specs,
`web-api/slack_web_openapi_v2_without_examples.json`, last updated October 2020) reduced to
these methods: each parameter marked `required` except `token` (auth is checked separately),
and the `security.slackAuth` scopes, any one of which suffices (`none`: no scope), with the
spec's legacy scope names translated by `LEGACY_SCOPES` and user-token scopes dropped.
tests/slack_standin/test_method_rules.py checks this table against the spec file.

`SUPPLEMENT` replaces the rule of a method the spec lacks or gets wrong, from Slack's own page
for that method (https://api.slack.com/methods/<method>). `RULES` is what the stand-in applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class MethodRule:
    """`required`: groups of argument names, one of each group must be given (usually one name).

    `scopes`: the bot scopes of which the token needs any one; empty when the method needs none.
    """

    required: tuple[tuple[str, ...], ...] = ()
    scopes: tuple[str, ...] = ()


def _rule(*required: str, scopes: tuple[str, ...] = ()) -> MethodRule:
    return MethodRule(tuple((name,) for name in required), scopes)


# The spec names bot scopes as before granular bot permissions; a user-token scope (None) can
# never be granted to the bot token the stand-in serves.
LEGACY_SCOPES: Final[dict[str, str | None]] = {
    "chat:write:bot": "chat:write",
    "chat:write:user": None,
}
_CHAT: Final = ("chat:write",)
_READ_CONVERSATIONS: Final = ("channels:read", "groups:read", "im:read", "mpim:read")
_OPEN_CONVERSATIONS: Final = ("channels:write", "groups:write", "im:write", "mpim:write")
_CALLS: Final = ("calls:write",)

FROM_SPEC: Final[dict[str, MethodRule]] = {
    "auth.test": _rule(),
    "oauth.v2.access": _rule("code"),
    "chat.postMessage": _rule("channel", scopes=_CHAT),
    "chat.update": _rule("channel", "ts", scopes=_CHAT),
    "chat.postEphemeral": _rule("channel", "user", scopes=_CHAT),
    "chat.delete": _rule(scopes=_CHAT),
    "chat.getPermalink": _rule("channel", "message_ts"),
    "chat.unfurl": _rule("channel", "ts", scopes=("links:write",)),
    "conversations.info": _rule(scopes=_READ_CONVERSATIONS),
    "conversations.members": _rule(scopes=_READ_CONVERSATIONS),
    "conversations.open": _rule(scopes=_OPEN_CONVERSATIONS),
    "users.info": _rule(scopes=("users:read",)),
    "users.list": _rule(scopes=("users:read",)),
    "usergroups.users.list": _rule("usergroup", scopes=("usergroups:read",)),
    "views.open": _rule("trigger_id", "view"),
    "views.push": _rule("trigger_id", "view"),
    "views.update": _rule(),
    "views.publish": _rule("user_id", "view"),
    "calls.add": _rule("external_unique_id", "join_url", scopes=_CALLS),
    "calls.end": _rule("id", scopes=_CALLS),
    "calls.info": _rule("id", scopes=("calls:read",)),
    "calls.update": _rule("id", scopes=_CALLS),
    "calls.participants.add": _rule("id", "users", scopes=_CALLS),
    "calls.participants.remove": _rule("id", "users", scopes=_CALLS),
}

# --- Supplement: Slack's method pages, where the 2020 spec is silent or wrong ------------------
_TRIGGER: Final = ("trigger_id", "interactivity_pointer")
SUPPLEMENT: Final[dict[str, MethodRule]] = {
    # oauth.v2.access: `code` is optional; a token refresh sends grant_type=refresh_token and
    # refresh_token instead (the handler refuses a call with neither).
    "oauth.v2.access": _rule(),
    # chat.delete: channel and ts are required.
    "chat.delete": _rule("channel", "ts", scopes=_CHAT),
    # conversations.info, conversations.members: channel is required.
    "conversations.info": _rule("channel", scopes=_READ_CONVERSATIONS),
    "conversations.members": _rule("channel", scopes=_READ_CONVERSATIONS),
    # conversations.open: users, or channel to resume a conversation.
    "conversations.open": MethodRule((("users", "channel"),), _OPEN_CONVERSATIONS),
    # users.info: user is required.
    "users.info": _rule("user", scopes=("users:read",)),
    # views.open, views.push: interactivity_pointer may stand in for trigger_id.
    "views.open": MethodRule((_TRIGGER, ("view",))),
    "views.push": MethodRule((_TRIGGER, ("view",))),
    # views.update: view, and view_id or external_id to say which view.
    "views.update": MethodRule((("view",), ("view_id", "external_id"))),
    # files.getUploadURLExternal, files.completeUploadExternal (newer than the spec):
    # scope files:write; filename and length, files.
    "files.getUploadURLExternal": _rule("filename", "length", scopes=("files:write",)),
    "files.completeUploadExternal": _rule("files", scopes=("files:write",)),
    # openid.connect.token, openid.connect.userInfo (newer than the spec): no argument is
    # required and no bot scope applies (the code exchange authenticates with the client's
    # credentials; userInfo takes a Sign in with Slack user token, whose scope is openid).
    "openid.connect.token": _rule(),
    "openid.connect.userInfo": _rule(),
    # calls.add: created_by "is optional and defaults to the authed user" with a user token;
    # "Otherwise, the field is required" — and the stand-in's calls.* take the bot token only.
    "calls.add": _rule("external_unique_id", "join_url", "created_by", scopes=_CALLS),
    # chat.unfurl (since 2021-08): channel and ts, or unfurl_id and source (the handler
    # refuses a mixed pair); unfurls is checked by the handler (missing_unfurls).
    "chat.unfurl": MethodRule((("channel", "unfurl_id"), ("ts", "source")), ("links:write",)),
    # functions.completeSuccess, functions.completeError (newer than the spec): no scope;
    # function_execution_id, and outputs (a JSON object) or error.
    "functions.completeSuccess": _rule("function_execution_id", "outputs"),
    "functions.completeError": _rule("function_execution_id", "error"),
}

RULES: Final[dict[str, MethodRule]] = {**FROM_SPEC, **SUPPLEMENT}
