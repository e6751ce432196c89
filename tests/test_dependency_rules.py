"""The layering rules of DESIGN.md, checked on the source so a stray import fails the build."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "storage", "acs_emulator", "slack_standin")


# Modules on the longest chain of what importing a module loads: module-level imports, not
# those under `if TYPE_CHECKING:` (never run) nor inside functions (lazy, each with a reason).
MAX_DEPTH = 10


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


def project_imports(path: Path, modules: set[str], *, runtime_only: bool = False) -> set[str]:
    """The project modules `path` imports: anywhere (typing-only and inside functions too), or
    with `runtime_only` what importing it runs. `from a.b import c` names the module `a.b.c`
    when there is one, else `a.b`."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(), filename=str(path))
    nodes = module_level_imports(tree.body) if runtime_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(_owning(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{alias.name}" for alias in node.names}
            found.update(subs & modules or {_owning(node.module, modules)})
            if not subs <= modules:
                found.add(_owning(node.module, modules))
    found.discard("")
    found.discard(module_name(path))
    return found


def module_level_imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for statement in body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            found.append(statement)
        elif isinstance(statement, ast.If) and "TYPE_CHECKING" not in ast.unparse(statement.test):
            found += module_level_imports(statement.body) + module_level_imports(statement.orelse)
        elif isinstance(statement, ast.Try):
            found += module_level_imports(statement.body)
            for handler in statement.handlers:
                found += module_level_imports(handler.body)
    return found


def _owning(name: str, modules: set[str]) -> str:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def import_graph(*, runtime_only: bool = False) -> dict[str, set[str]]:
    paths = {module_name(p): p for p in all_sources()}
    names = set(paths)
    return {
        name: project_imports(path, names, runtime_only=runtime_only)
        for name, path in paths.items()
    }


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = {stack.pop()}
            while node not in group:
                group.add(stack.pop())
            if len(group) > 1:
                found.append(group)

    for node in graph:
        if node not in index:
            visit(node)
    return found


def longest_chain(graph: dict[str, set[str]]) -> list[str]:
    """The longest path of imports (the graph has no circles: another test says so)."""
    best: dict[str, list[str]] = {}

    def chain(node: str) -> list[str]:
        if node not in best:
            best[node] = []  # a circle, if any, ends here instead of looping
            tails = [chain(nxt) for nxt in graph[node]]
            best[node] = [node, *max(tails, key=len, default=[])]
        return best[node]

    return max((chain(node) for node in graph), key=len)


def lazy_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(), filename=str(path))
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    return sorted(
        {
            node.lineno
            for function in functions
            for node in ast.walk(function)
            if isinstance(node, ast.Import | ast.ImportFrom)
        }
    )


def explained(lines: list[str], line: int) -> bool:
    """A comment on the import's line or just above it (a run of imports shares one)."""
    above = line - 2
    while above >= 0 and lines[above].strip().startswith(("import ", "from ")):
        above -= 1
    return "#" in lines[line - 1] or (above >= 0 and lines[above].strip().startswith("#"))


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


PURE = ("slack_bolt", "slack_sdk", "azure", "storage", "bot.adapters", "bot.listeners")
RULES = [
    ("bot.grammar", PURE),
    ("bot.slack_posts", ("azure", "storage", "bot.adapters", "bot.listeners")),
    ("bot.background", ("azure", "bot.adapters", "bot.run_modes")),
    ("bot.console", ("azure", "storage", "bot.adapters", "bot.services")),
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


def test_nothing_imports_the_composition_root_but_the_run_modes() -> None:
    allowed = ("bot.app", "bot.run_modes")
    outside = [p for p in all_sources() if not module_name(p).startswith(allowed)]
    assert offenders(outside, ("bot.app",)) == []


def test_at_most_four_modules_sit_loose_at_the_top_of_bot() -> None:
    loose = sorted(p.stem for p in (ROOT / "bot").glob("*.py"))
    assert [m for m in loose if m not in ("__init__", "__main__")] == [
        "app",
        "config",
        "oauth",
    ]


def test_there_are_no_import_circles() -> None:
    graph = import_graph()
    assert [sorted(c) for c in circles(graph)] == []


def test_the_import_graph_is_at_most_ten_modules_deep() -> None:
    chain = longest_chain(import_graph(runtime_only=True))
    assert len(chain) <= MAX_DEPTH, " -> ".join(chain)


def test_an_import_inside_a_function_says_why_it_must_be_lazy() -> None:
    unexplained = [
        f"{module_name(path)}:{line}"
        for path in all_sources()
        for line in lazy_imports(path)
        if not explained(path.read_text().splitlines(), line)
    ]
    assert unexplained == []
