"""The layering rules of DESIGN.md, checked on the source so a stray import fails the build."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "storage", "acs_emulator", "slack_standin")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def all_sources() -> list[Path]:
    return [path for package in PACKAGES for path in sources(package)]


def offenders(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{module_name(path)} imports {name}"
        for path in paths
        for name in sorted(imports_of(path))
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]


def in_package(prefix: str) -> list[Path]:
    return [p for p in all_sources() if module_name(p).startswith(prefix)]


RULES = [
    ("storage", ("bot", "acs_emulator", "slack_standin", "slack_bolt", "slack_sdk", "azure")),
    ("bot.services", ("slack_bolt", "slack_sdk", "azure", "bot.listeners", "bot.adapters")),
    ("bot.listeners", ("azure", "storage", "bot.adapters")),
    ("bot.blocks", ("azure", "storage", "bot.adapters")),
    ("slack_standin", ("bot", "storage", "acs_emulator", "azure")),
    ("acs_emulator", ("bot", "storage", "slack_standin", "azure")),
]


@pytest.mark.parametrize(("package", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_each_layer_imports_only_what_it_may(package: str, forbidden: tuple[str, ...]) -> None:
    assert offenders(in_package(package), forbidden) == []


def test_only_the_adapters_import_azure() -> None:
    outside = [p for p in all_sources() if not module_name(p).startswith("bot.adapters")]
    assert offenders(outside, ("azure",)) == []


def test_only_the_composition_root_imports_the_adapters() -> None:
    allowed = ("bot.adapters", "bot.app")
    outside = [p for p in all_sources() if not module_name(p).startswith(allowed)]
    assert offenders(outside, ("bot.adapters",)) == []


def reads_environment(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    return any(
        isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"}
        for node in ast.walk(tree)
    )


def test_only_config_reads_the_environment() -> None:
    readers = [module_name(p) for p in all_sources() if reads_environment(p)]
    assert readers in ([], ["bot.config"])


def test_importing_every_module_does_no_io(tmp_path: Path) -> None:
    modules = [module_name(p) for p in all_sources() if "migrations" not in p.parts]
    script = (
        "import importlib, os, sys, threading\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "assert threading.active_count() == 1, threading.enumerate()\n"
        "assert os.listdir('.') == [], os.listdir('.')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
