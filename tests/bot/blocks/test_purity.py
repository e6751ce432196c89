"""bot.blocks builds plain dicts: no Slack calls, no ACS, no storage (see DESIGN.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BLOCKS = Path(__file__).parents[3] / "bot" / "blocks"
FORBIDDEN = ("azure", "storage", "bot.adapters", "bot.listeners", "slack_sdk", "slack_bolt")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return names


@pytest.mark.parametrize("path", sorted(BLOCKS.glob("*.py")), ids=lambda p: p.name)
def test_a_blocks_module_imports_no_io_layer(path: Path) -> None:
    bad = {
        m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN or m.startswith(FORBIDDEN)
    }
    assert bad == set()
