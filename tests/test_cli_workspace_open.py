"""Every command opens its workspace one way (``vfa.cli.common.open_workspace``): writable
with the daily backup, or read-only without one, and let go of whatever happens."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from tests.test_cli_surface import refused, run
from vfa.errors import WorkspaceError
from vfa.services import backups
from vfa.storage import backups as store
from vfa.storage.locks import exclusive_lock

CLI = Path(__file__).resolve().parents[1] / "vfa" / "cli"


@pytest.fixture
def path(capsys, tmp_path) -> Path:
    target = tmp_path / "clinic.vfa"
    code, _, err = run(capsys, "workspace", "new", target)
    assert code == 0, err
    return target


def free(path: Path) -> bool:
    """Nothing in this process still has the workspace open (a restore could run)."""
    try:
        with exclusive_lock(path):
            return True
    except WorkspaceError:
        return False


def where(path: Path, before: bool, *command: str) -> list[object]:
    return ["--workspace", path, *command] if before else [*command, "--workspace", path]


@pytest.mark.parametrize("before", [True, False], ids=["option-first", "option-last"])
def test_a_workspace_that_fails_in_its_daily_backup_is_let_go(capsys, monkeypatch, path, before):
    def broken(*_args: object) -> None:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(backups, "backup_if_due", broken)
    message = refused(capsys, *where(path, before, "clip", "list"))
    assert "could not be used" in message and "disk I/O error" in message
    assert free(path)


@pytest.mark.parametrize("before", [True, False], ids=["option-first", "option-last"])
def test_a_command_refused_with_its_workspace_open_lets_go_of_it(capsys, path, before):
    message = refused(capsys, *where(path, before, "consent", "show", "--clip", "999"))
    assert "999" in message
    assert free(path)


def test_a_daily_backup_that_cannot_be_made_is_a_warning_and_the_command_runs(
    capsys, monkeypatch, path
):
    def full(*_args: object) -> None:
        raise WorkspaceError(f"{path.parent / 'backups'}: no space left on the disk")

    monkeypatch.setattr(backups, "backup_if_due", full)
    code, out, err = run(capsys, "clip", "list", "--workspace", path)
    assert code == 0 and out == "no clips\n"
    assert err == f"vfa: warning: {path.parent / 'backups'}: no space left on the disk\n"
    assert free(path)


def test_only_a_writing_command_makes_the_daily_backup(capsys, path):
    assert store.list_backups(path) == []  # `workspace new` makes none
    code, out, _ = run(capsys, "check", "--workspace", path)  # read-only
    assert code == 0 and "all is well" in out
    assert run(capsys, "backup", "--list", "--workspace", path)[1] == "no backups yet\n"
    assert store.list_backups(path) == []
    assert run(capsys, "workspace", "info", "--workspace", path)[0] == 0
    assert [b.reason for b in store.list_backups(path)] == ["daily"]


def test_no_command_module_opens_or_closes_a_workspace_by_hand():
    """One context manager, in vfa/cli/common.py, holds every workspace of the command line."""
    modules = sorted(m for m in CLI.glob("*.py") if m.name != "common.py")
    assert {"clips.py", "feedback.py", "reliability.py", "exchange.py"} <= {m.name for m in modules}
    offenders = []
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Try) and node.finalbody:
                offenders.append(f"{module.name}:{node.lineno}: try/finally")
            closes = isinstance(node, ast.Attribute) and node.attr == "close"
            if closes and ast.unparse(node.value) != "sys.stderr":
                offenders.append(f"{module.name}:{node.lineno}: .close()")
    assert not offenders, "\n".join(offenders)
