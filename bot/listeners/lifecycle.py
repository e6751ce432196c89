"""Uninstalls and revoked tokens: forget the workspace's installation, keep its rooms.

In multi-workspace mode the installation store holds each workspace's bot token; a token that
Slack has revoked is useless and must not be kept. Rooms, identities and audit stay: the
workspace may reinstall, and an admin may still need the trail.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.services.attempts import Action
from bot.services.domain import Workspace
from bot.services.errors import RoomBotError

if TYPE_CHECKING:
    from slack_bolt import App, BoltContext
    from slack_sdk.oauth.installation_store import InstallationStore

    from bot.services.container import Services

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    store = app.installation_store

    @app.event("app_uninstalled")
    def uninstalled(context: BoltContext) -> None:
        enterprise_id, team_id = _scope(context)
        log.info("app uninstalled from enterprise=%s team=%s", enterprise_id, team_id)
        if store is not None:
            store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
        _record_removal(services, Workspace(enterprise_id or "", team_id or ""))

    @app.event("tokens_revoked")
    def revoked(event: dict[str, Any], context: BoltContext) -> None:
        tokens = event.get("tokens") or {}
        log.info("tokens revoked in enterprise=%s team=%s", context.enterprise_id, context.team_id)
        if store is not None:
            _forget_tokens(store, context, tokens)


def _record_removal(services: Services, workspace: Workspace) -> None:
    if services.audit is None:
        return
    try:
        services.audit.record(workspace, action=Action.INSTALLATION_REMOVED)
    except RoomBotError as problem:  # the uninstall itself already happened
        log.warning("uninstall of %s not audited: %s", workspace.team_id, problem.message)


def _forget_tokens(store: InstallationStore, context: BoltContext, tokens: dict[str, Any]) -> None:
    enterprise_id, team_id = _scope(context)
    for user_id in tokens.get("oauth") or []:
        store.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)
    if tokens.get("bot"):
        store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)


def _scope(context: BoltContext) -> tuple[str | None, str | None]:
    """An org-wide (Enterprise Grid) install is stored under its enterprise alone."""
    team_id = None if context.is_enterprise_install else context.team_id
    return context.enterprise_id, team_id
