"""The console's Slack plays RoomBot's own manifest: its Workflow Builder steps, and its join
page's host as the domain whose pasted links Slack shares with the app (unfurls)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from slack_standin.workspace import Workspace

log = logging.getLogger(__name__)

MANIFEST: Final = Path(__file__).resolve().parents[2] / "manifest.yml"


def play_manifest(workspace: Workspace, public_url: str | None) -> None:
    manifest = _read(MANIFEST)
    if manifest is not None:
        workspace.adopt_manifest(manifest)
    host = urlsplit(public_url or "").hostname
    if host:
        workspace.unfurl_domains[:] = [host]


def _read(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        log.info("no manifest.yml beside the code: the console offers no workflow steps")
        return None
    try:
        import yaml  # lazy: a development dependency, and only the console reads the manifest
    except ImportError:
        log.info("PyYAML is not installed: the console offers no workflow steps")
        return None
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded if isinstance(loaded, dict) else None
