"""The lower layers never import Qt or libVLC (see docs/architecture.md)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOWER = ["domain", "storage", "media", "services", "reports", "io"]
FORBIDDEN = {"PySide6", "vlc", "shiboken6"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
            if node.module.split(".")[0] == "vfa":
                names.add(node.module)
    return names


@pytest.mark.parametrize("layer", LOWER)
def test_lower_layer_sources_do_not_import_qt_or_vlc(layer):
    offenders = []
    for path in sorted((ROOT / "vfa" / layer).rglob("*.py")):
        bad = _imports(path) & FORBIDDEN
        up = {n for n in _imports(path) if n.startswith(("vfa.ui", "vfa.player", "vfa.app"))}
        if bad or up:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad | up)}")
    assert not offenders, "\n".join(offenders)


def test_lower_layers_do_not_pull_in_qt_at_run_time():
    modules = [
        f"vfa.{layer}.{p.stem}"
        for layer in LOWER
        for p in (ROOT / "vfa" / layer).glob("*.py")
        if p.stem != "__init__"
    ]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6', 'vlc'})\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == ""


def test_the_checker_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport vlc\n")
    assert _imports(bad) & FORBIDDEN == {"PySide6", "vlc"}


def test_the_formats_layer_touches_no_database_and_no_workspace():
    """vfa/io reads and writes files only: services map its documents onto workspaces."""
    offenders = []
    for path in sorted((ROOT / "vfa" / "io").rglob("*.py")):
        names = _imports(path)
        bad = {
            n for n in names if n == "sqlalchemy" or n.startswith(("vfa.storage", "vfa.services"))
        }
        if bad:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(bad)}")
    assert not offenders, "\n".join(offenders)


# -- import cycles ---------------------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_time_imports(
    tree: ast.AST, type_checking: bool = False
) -> list[ast.Import | ast.ImportFrom]:
    """The import statements that run: at module level or deferred into a function, but not
    those under ``if TYPE_CHECKING:`` (read by type checkers only) unless ``type_checking``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if not type_checking and isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` below ``root``, by dotted name (a package by its own)."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _import_graph(root: Path, package: str, type_checking: bool = False) -> dict[str, set[str]]:
    """Which modules of ``package`` each of its modules imports when it runs (and, with
    ``type_checking``, under ``if TYPE_CHECKING:`` as well).

    ``from P import m`` counts as importing the module ``P.m`` when there is one, else ``P``
    (a name taken from P's ``__init__``); ``import P.m`` counts as ``P.m``.
    """
    modules = _modules(root, package)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in _run_time_imports(tree, type_checking):
            if isinstance(node, ast.Import):
                targets.update(filter(None, (known(a.name) for a in node.names)))
                continue
            base = node.module or ""
            if node.level:
                up = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                target = sub if sub in modules else known(base)
                if target:
                    targets.add(target)
        targets.discard(name)
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One import circle per knot of modules that import each other, as a path a -> … -> a."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    knots: list[set[str]] = []

    def strong(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            knot = set()
            while True:
                w = stack.pop()
                knot.add(w)
                if w == v:
                    break
            if len(knot) > 1:
                knots.append(knot)

    for v in sorted(graph):
        if v not in index:
            strong(v)

    circles = []
    for knot in knots:  # a shortest way from the knot's first module back to itself
        start = min(knot)
        ways = {start: [start]}
        queue = [start]
        while queue:
            v = queue.pop(0)
            for w in sorted(graph[v] & knot):
                if w == start:
                    queue = []
                    circles.append([*ways[v], start])
                    break
                if w not in ways:
                    ways[w] = [*ways[v], w]
                    queue.append(w)
    return sorted(circles)


def test_no_import_cycles_in_vfa():
    """No module of vfa imports, directly or through others, a module that imports it; the
    imports read by type checkers only count too (a type named across modules is still a
    knot: give the lower module a Protocol or the session instead)."""
    graph = _import_graph(ROOT, "vfa", type_checking=True)
    circles = _cycles(graph)
    assert not circles, "import circles (a way round each, and its knot of modules):\n" + "\n".join(
        f"{' -> '.join(c)}  [{', '.join(sorted(_knot(graph, c[0])))}]" for c in circles
    )


def _knot(graph: dict[str, set[str]], start: str) -> set[str]:
    """The modules that import ``start`` and that ``start`` imports, directly or not."""

    def reach(edges: dict[str, set[str]]) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for w in edges.get(todo.pop(), ()):
                if w not in seen:
                    seen.add(w)
                    todo.append(w)
        return seen

    back: dict[str, set[str]] = {}
    for v, targets in graph.items():
        for w in targets:
            back.setdefault(w, set()).add(v)
    return reach(graph) & reach(back)


def test_nothing_below_the_command_line_imports_it():
    """The ``vfa`` command is the top: no other module imports vfa.cli (io once did, for a
    constant; the limits live in vfa.domain.limits) but ``python -m vfa``'s, which is it."""
    graph = _import_graph(ROOT, "vfa")
    top = ("vfa.cli", "vfa.__main__")
    offenders = sorted(
        f"{name} -> {', '.join(sorted(t for t in targets if t.startswith('vfa.cli')))}"
        for name, targets in graph.items()
        if not name.startswith(top) and any(t.startswith("vfa.cli") for t in targets)
    )
    assert not offenders, "\n".join(offenders)


def _plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_cycle_checker_finds_a_planted_circle_and_passes_over_type_checking(tmp_path):
    _plant(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\nimport pkg.low\n",
            # deferred into a function, the import still runs: a circle
            "pkg/b.py": "def f():\n    from pkg.a import thing\n    return thing\n",
            "pkg/low.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from pkg.a import thing\n"
            "else:\n    import json\n",
            "pkg/c.py": "import typing\nif typing.TYPE_CHECKING:\n    import pkg.d\n",
            "pkg/d.py": "from pkg.c import x\n",
        },
    )
    graph = _import_graph(tmp_path, "pkg")
    assert graph["pkg.a"] == {"pkg.b", "pkg.low"}
    assert graph["pkg.low"] == set() and graph["pkg.c"] == set()
    assert _cycles(graph) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_the_cycle_checker_sees_a_module_importing_its_parent_package(tmp_path):
    """A submodule taking a helper from its package's ``__init__``, which imports it."""
    _plant(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.main import main\n\ndef helper(): ...\n",
            "pkg/main.py": "from .area import run\n\ndef main(): ...\n",
            "pkg/area.py": "from . import helper\n\ndef run(): ...\n",
            "pkg/sibling.py": "from pkg import area\n",  # a submodule, not the parent
        },
    )
    graph = _import_graph(tmp_path, "pkg")
    assert graph["pkg.sibling"] == {"pkg.area"}
    assert _cycles(graph) == [["pkg", "pkg.main", "pkg.area", "pkg"]]


# -- module size -----------------------------------------------------------------------------

MAX_LINES = 500
SIZE_EXEMPT = ("vfa/storage/migrations",)  # generated revisions, read in order, never edited


def _long_modules(root: Path, package: str, limit: int) -> list[str]:
    """``path: N lines`` for each module of ``package`` longer than ``limit`` lines."""
    found = []
    for path in sorted((root / package).rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(SIZE_EXEMPT):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{rel}: {lines} lines")
    return found


def test_no_module_in_vfa_is_over_500_lines():
    """A module that grows past 500 lines holds a second idea: split it out (issue 13)."""
    long = _long_modules(ROOT, "vfa", MAX_LINES)
    assert not long, f"over {MAX_LINES} lines:\n" + "\n".join(long)


def test_the_size_check_names_each_long_module_and_passes_over_migrations(tmp_path):
    _plant(
        tmp_path,
        {
            "vfa/short.py": "x = 1\n" * 3,
            "vfa/at_limit.py": "x = 1\n" * 4,
            "vfa/sub/long.py": "x = 1\n" * 5,
            "vfa/storage/migrations/versions/0001_long.py": "x = 1\n" * 9,
        },
    )
    assert _long_modules(tmp_path, "vfa", 4) == ["vfa/sub/long.py: 5 lines"]


def test_the_cycle_checker_counts_type_checking_imports_when_asked(tmp_path):
    _plant(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "import pkg.b\n",
            "pkg/b.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from pkg import a\n",
        },
    )
    assert _cycles(_import_graph(tmp_path, "pkg")) == []
    assert _cycles(_import_graph(tmp_path, "pkg", type_checking=True)) == [
        ["pkg.a", "pkg.b", "pkg.a"]
    ]


# -- the window works over services and the session, never over storage -------------------

# the composition root (vfa/app.py) is not under ui; the session may hold storage types
UI_MAY_IMPORT_STORAGE = {"vfa.ui.session"}


def _ui_storage_imports(root: Path) -> list[str]:
    graph = _import_graph(root, "vfa", type_checking=True)
    return sorted(
        f"{name} -> {', '.join(sorted(t for t in targets if t.startswith('vfa.storage')))}"
        for name, targets in graph.items()
        if name.startswith("vfa.ui")
        and name not in UI_MAY_IMPORT_STORAGE
        and any(t.startswith("vfa.storage") for t in targets)
    )


def test_the_window_does_not_import_storage():
    """ui reaches workspaces through services (``vfa.services.workspaces``) and the coding
    session; only the session may name storage types. Type-checking imports count."""
    offenders = _ui_storage_imports(ROOT)
    assert not offenders, "\n".join(offenders)


def test_the_storage_rule_sees_a_planted_import(tmp_path):
    _plant(
        tmp_path,
        {
            "vfa/__init__.py": "",
            "vfa/storage/__init__.py": "",
            "vfa/storage/workspace.py": "class Workspace: ...\n",
            "vfa/ui/__init__.py": "",
            "vfa/ui/session.py": "from vfa.storage.workspace import Workspace\n",
            "vfa/ui/panel.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from vfa.storage.workspace import Workspace\n",
            "vfa/ui/dialog.py": "def f():\n    from vfa import storage\n",
            "vfa/ui/fine.py": "import vfa.services\n",
        },
    )
    assert _ui_storage_imports(tmp_path) == [
        "vfa.ui.dialog -> vfa.storage",
        "vfa.ui.panel -> vfa.storage.workspace",
    ]
