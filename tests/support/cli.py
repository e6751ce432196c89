"""`roombot` run as an operator runs it: a subprocess with a clean environment (no ROOMBOT_,
SLACK_, database or ACS settings but those given), its output scanned for secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support import secret_scan

ROOT = Path(__file__).resolve().parents[2]
_UNSET = ("DATABASE_URL", "ACS_CONNECTION_STRING", "COMMUNICATION_CONNECTION_STRING")


def roombot(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("ROOMBOT_", "SLACK_"))}
    for name in _UNSET:
        kept.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=kept | {"PYTHONPATH": str(ROOT)} | env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    secret_scan.record(f"output of roombot {args[0] if args else ''}", done.stdout + done.stderr)
    return done
