"""Is a signed-in person's workspace one RoomBot is installed in? Single-workspace installs
know their one team from the bot token (auth.test, asked once); multi-workspace installs ask
Bolt's installation store."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from slack_bolt import App

    from bot.services.domain import Workspace


def installed_check(app: App) -> Callable[[Workspace], bool]:
    store = app.installation_store
    if store is not None:
        return lambda ws: (
            store.find_installation(enterprise_id=ws.enterprise_id or None, team_id=ws.team_id)
            is not None
        )
    lock, teams = threading.Lock(), set[str]()

    def single(ws: Workspace) -> bool:
        with lock:
            if not teams:
                teams.add(str(app.client.auth_test()["team_id"]))
        return ws.team_id in teams

    return single
