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
