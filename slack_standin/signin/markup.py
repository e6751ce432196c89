"""The HTML a person sees during Sign in with Slack: the choice of account, and error pages.

Every value is escaped: client ids, states and names come from whoever built the URL.
Links carry `data-choice` (a user id, or `cancel`) so a test can find the one to follow.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from slack_standin.workspace import User, Workspace

_STYLE = "body{font-family:sans-serif;max-width:32em;margin:3em auto}li{margin:.5em 0}"


def sign_in_page(
    workspace: Workspace, client_id: str, people: Sequence[tuple[User, str]], cancel_url: str
) -> str:
    """`people`: each person with the URL that signs them in."""
    items = "\n".join(_choice(user, url) for user, url in people)
    body = (
        f"<h1>Sign in to {escape(workspace.team_name)}</h1>\n"
        f"<p>{escape(workspace.domain)}.slack.com &middot; app {escape(client_id)} asks who"
        " you are.</p>\n"
        f'<ul class="people">\n{items}\n</ul>\n'
        f'<p><a data-choice="cancel" href="{escape(cancel_url)}">Cancel</a></p>'
    )
    return _document(f"Sign in to {workspace.team_name} | Slack", body)


def error_page(code: str, detail: str) -> str:
    body = f"<h1>Something went wrong</h1>\n<p>{escape(detail)}</p>\n"
    body += f"<p><code>{escape(code)}</code></p>"
    return _document("Slack", body)


def _choice(user: User, url: str) -> str:
    label = f"{user.real_name} (@{user.name})"
    return f'<li><a data-choice="{escape(user.id)}" href="{escape(url)}">{escape(label)}</a></li>'


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
