"""The Web API methods the stand-in answers, by Slack method name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_standin.methods import (
    auth,
    call_objects,
    chat,
    conversations,
    files,
    functions,
    links,
    openid,
    people,
    views,
)
from slack_standin.state import StandinState
from slack_standin.wire import Args

Handler = Callable[[StandinState, Args], dict[str, Any]]

HANDLERS: dict[str, Handler] = {
    **auth.HANDLERS,
    **call_objects.HANDLERS,
    **chat.HANDLERS,
    **conversations.HANDLERS,
    **files.HANDLERS,
    **functions.HANDLERS,
    **links.HANDLERS,
    **openid.HANDLERS,
    **people.HANDLERS,
    **views.HANDLERS,
}
NO_TOKEN_METHODS = auth.NO_TOKEN_METHODS | openid.NO_TOKEN_METHODS
USER_TOKEN_METHODS = openid.USER_TOKEN_METHODS
