"""A local stand-in for the Slack Web API, and a Block Kit to text renderer.

Used by `roombot console` (try the app with no Slack workspace) and by tests (assert what Slack
received). Depends on the standard library, slack_sdk's wire conventions, and PyJWT with
cryptography for Sign in with Slack's ID tokens; nothing here imports the rest of `bot`.
"""

from slack_standin.calls import SlackCall
from slack_standin.running import RunningStandin
from slack_standin.server import start_slack_standin
from slack_standin.signin.grants import OidcClient
from slack_standin.workspace import Channel, User, UserGroup, Workspace, demo_workspace

__all__ = [
    "Channel",
    "OidcClient",
    "RunningStandin",
    "SlackCall",
    "User",
    "UserGroup",
    "Workspace",
    "demo_workspace",
    "start_slack_standin",
]
