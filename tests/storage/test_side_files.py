"""A workspace file VFA only reads keeps its folder as it was: no -wal or -shm file stays
beside it once VFA lets go (the other side of a merge, a dry run, a refused newer file),
plain or encrypted; while someone else has it open, theirs stay."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.storage.test_encrypted_workspace import encrypted, no_remembered_passphrases
from tests.test_cli_surface import run
from vfa.errors import NewerWorkspaceError
from vfa.storage import passphrases
from vfa.storage.workspace import open_workspace

__all__ = ["encrypted", "no_remembered_passphrases"]  # fixtures


def folder_state(folder: Path) -> dict[str, str]:
    """Every file in the folder (not below) with the SHA-256 of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def new_workspace(path: Path) -> Path:
    open_workspace(path, create=True).close()
    return path


def read_once(path: Path, passphrase=None) -> None:
    ws = open_workspace(path, read_only=True, passphrase=passphrase)
    try:
        with ws.sessions() as db:
            assert db.execute(text("SELECT count(*) FROM workspace_info")).scalar()
    finally:
        ws.close()


def test_reading_a_workspace_file_read_only_leaves_nothing_beside_it(tmp_path):
    path = new_workspace(tmp_path / "site.vfa")
    before = folder_state(tmp_path)
    read_once(path)
    assert folder_state(tmp_path) == before


def test_reading_an_encrypted_workspace_read_only_leaves_nothing_beside_it(encrypted):
    path, secret = encrypted
    passphrases.forget(path)
    before = folder_state(path.parent)
    read_once(path, secret)
    assert folder_state(path.parent) == before


def test_a_refused_newer_workspace_leaves_nothing_beside_it(tmp_path):
    path = new_workspace(tmp_path / "newer.vfa")
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
        raw.commit()
    before = folder_state(tmp_path)
    with pytest.raises(NewerWorkspaceError):
        open_workspace(path, read_only=True)
    assert folder_state(tmp_path) == before


def test_a_workspace_open_elsewhere_keeps_its_log_and_stays_usable(tmp_path):
    path = new_workspace(tmp_path / "open.vfa")
    elsewhere = open_workspace(path)
    try:
        with elsewhere.writes.begin() as db:
            db.execute(text("UPDATE workspace_info SET value = value WHERE key = 'name'"))
        read_once(path)
        assert Path(f"{path}-wal").exists() and Path(f"{path}-shm").exists()
        with elsewhere.writes.begin() as db:
            db.execute(text("UPDATE workspace_info SET value = value WHERE key = 'name'"))
    finally:
        elsewhere.close()
    assert not Path(f"{path}-wal").exists()  # its own last close tidies, as always


@pytest.mark.parametrize("order", ["after", "before"])
def test_vfa_merge_dry_run_leaves_both_folders_as_they_were(capsys, tmp_path, order):
    here = new_workspace(tmp_path / "here" / "team.vfa")
    other = new_workspace(tmp_path / "there" / "site.vfa")
    before = folder_state(here.parent), folder_state(other.parent)
    argv = ["merge", other, "--dry-run", "--workspace", here]
    if order == "before":
        argv = ["--workspace", here, "merge", other, "--dry-run"]
    code, _, err = run(capsys, *argv)
    assert code == 0, err
    assert (folder_state(here.parent), folder_state(other.parent)) == before
