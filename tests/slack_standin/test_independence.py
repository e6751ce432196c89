"""The stand-in must stay usable on its own: stdlib, slack_sdk, slack_bolt, PyJWT with
cryptography (Sign in with Slack's signed ID tokens), and itself only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import slack_standin

PACKAGE = Path(slack_standin.__file__).parent
# jwt and cryptography: RS256 ID tokens and their key, as Slack's Sign in with Slack issues;
# signing by hand with the standard library would mean writing RSA ourselves.
LIBRARIES = {"slack_sdk", "slack_bolt", "jwt", "cryptography"}
ALLOWED_ROOTS = LIBRARIES | {"slack_standin"} | set(sys.stdlib_module_names)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_package_imports_only_the_stdlib_its_libraries_and_itself() -> None:
    found = {name for path in PACKAGE.rglob("*.py") for name in _imports(path)}

    outside = {n for n in found if n.split(".")[0] not in ALLOWED_ROOTS}
    assert outside == set()
