"""A workspace is never created by mistake, never written when damaged, and two VFA
processes writing at once both succeed."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from vfa.errors import ReadOnlyWorkspaceError, WorkspaceError
from vfa.storage.models import Case, ConsentRecord
from vfa.storage.workspace import open_workspace


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damaged_workspace(path: Path, cases: int = 3000) -> None:
    """A workspace whose case table has a page overwritten with garbage."""
    ws = open_workspace(path, create=True)
    with ws.writes.begin() as db:
        db.add_all(Case(code=f"FAM-{i:05d}") for i in range(cases))
    ws.close()
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = raw.execute("PRAGMA page_size").fetchone()[0]
        leaves = [
            page
            for (page,) in raw.execute(
                "SELECT pageno FROM dbstat WHERE name = 'case' AND pagetype = 'leaf'"
            )
        ]
    with path.open("r+b") as f:
        f.seek(size * (leaves[len(leaves) // 2] - 1))
        f.write(b"\xff" * size)


def test_a_missing_workspace_is_refused_and_nothing_is_created(tmp_path):
    target = tmp_path / "typo" / "workspcae.vfa"
    with pytest.raises(WorkspaceError) as err:
        open_workspace(target)
    assert str(target) in str(err.value) and "vfa workspace new" in str(err.value)
    assert not target.parent.exists()


def test_creating_makes_the_folders_and_the_file(tmp_path):
    target = tmp_path / "new" / "team.vfa"
    open_workspace(target, create=True).close()
    assert target.is_file()


def test_a_new_workspace_and_the_files_beside_it_are_their_owners_alone(tmp_path):
    target = tmp_path / "family.vfa"
    before = os.umask(0o022)  # the usual: files readable by everyone
    try:
        ws = open_workspace(target, create=True)
        try:
            with ws.writes.begin() as db:
                db.add(Case(code="FAM-1"))
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
        finally:
            ws.close()
    finally:
        os.umask(before)
    assert modes == {"family.vfa": 0o600, "family.vfa-wal": 0o600, "family.vfa-shm": 0o600}


@pytest.mark.parametrize("url", ["mysql://u@h/vfa", "http://example.org/w", "file:///tmp/w.vfa"])
def test_a_url_of_another_kind_is_refused(url):
    with pytest.raises(WorkspaceError, match="not a workspace location"):
        open_workspace(url)


def test_a_fifo_is_not_a_workspace(tmp_path):
    fifo = tmp_path / "pipe.vfa"
    import os

    os.mkfifo(fifo)
    with pytest.raises(WorkspaceError, match="not a regular file"):
        open_workspace(fifo)


def test_a_damaged_workspace_opens_read_only_and_refuses_every_write(tmp_path):
    path = tmp_path / "damaged.vfa"
    damaged_workspace(path)
    before = _digest(path)
    ws = open_workspace(path)
    try:
        assert ws.read_only is not None and "damaged" in ws.read_only
        with ws.sessions() as db:  # what can still be read is shown
            assert db.scalar(select(Case.code).where(Case.id == 1)) == "FAM-00000"
        with (
            pytest.raises(ReadOnlyWorkspaceError, match="read-only") as err,
            ws.writes.begin() as db,
        ):
            db.add(Case(code="NEW-1"))
        assert str(path) in str(err.value)
        # reading the damaged part says what happened and what to do, in VFA's words
        with pytest.raises(WorkspaceError, match="damaged") as err, ws.sessions() as db:
            db.scalar(select(func.count(Case.code)))
        assert "backup" in str(err.value)
    finally:
        ws.close()
    assert _digest(path) == before


def test_a_read_only_open_refuses_writes(tmp_path):
    path = tmp_path / "w.vfa"
    open_workspace(path, create=True).close()
    ws = open_workspace(path, read_only=True)
    try:
        with pytest.raises(ReadOnlyWorkspaceError):
            ws.write_engine.begin()
    finally:
        ws.close()


def test_a_failed_upgrade_leaves_no_backup_behind(tmp_path):
    from tests.storage.test_workspace import _workspace_at_first_revision

    path = tmp_path / "broken.vfa"
    _workspace_at_first_revision(path)
    with closing(sqlite3.connect(path)) as raw, raw:  # an orphan row makes the upgrade fail
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("INSERT INTO session (id, case_id, label) VALUES (7, 42, 'orphan')")
    for _ in range(3):
        with pytest.raises(WorkspaceError, match="broken references"):
            open_workspace(path)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".bak")) == []


WRITER = textwrap.dedent(
    """
    import sys
    from vfa.services.consent import set_consent
    from vfa.storage.workspace import open_workspace

    path, clip_id, name, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    ws = open_workspace(path)
    sys.stdout.write("ready\\n")
    sys.stdout.flush()
    sys.stdin.readline()  # all writers start together
    done = 0
    for n in range(count):
        set_consent(ws, clip_id, ["feedback"], by=f"{name}-{n}")
        done += 1
    ws.close()
    print(done)
    """
)


def test_four_processes_writing_at_once_all_succeed(tmp_path, clips):
    """Each write reads first (the clip) and then inserts: the case that failed with
    'database is locked' when transactions began deferred."""
    from vfa.services.clips import add_clip

    path = tmp_path / "busy.vfa"
    ws = open_workspace(path, create=True)
    clip_id = add_clip(ws, clips["noaudio"], "FAM-1", "Visit 1").clip_id
    ws.close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    per_process = 100
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(path), str(clip_id), f"p{i}", str(per_process)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        for i in range(4)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == str(per_process)
    ws = open_workspace(path)
    try:
        with ws.sessions() as db:
            assert db.scalar(select(func.count()).select_from(ConsentRecord)) == 4 * per_process
    finally:
        ws.close()


def test_a_backup_before_an_upgrade_that_fails_leaves_no_file_and_says_why(tmp_path):
    from vfa.storage.backups import before_upgrade

    damaged = tmp_path / "w.vfa"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)  # a header, then nothing
    with pytest.raises(WorkspaceError) as err:
        before_upgrade(damaged, "0001")
    said = str(err.value)
    assert said.startswith(f"{tmp_path}{os.sep}w.vfa.before-0001-")
    assert "cannot be written" in said and "the workspace was not changed" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.vfa"]  # no partial backup


def test_a_file_that_appears_while_a_workspace_is_made_is_left_as_it_is(tmp_path, monkeypatch):
    from vfa.storage import workspace

    target = tmp_path / "new.vfa"
    make = workspace.create_private

    def someone_else_first(path: Path) -> None:
        path.write_text("theirs")
        make(path)

    monkeypatch.setattr(workspace, "create_private", someone_else_first)
    with pytest.raises(WorkspaceError, match="a file appeared there") as err:
        open_workspace(target, create=True)
    assert str(err.value).startswith(f"{target}: ") and "nothing was written" in str(err.value)
    assert target.read_text() == "theirs"
