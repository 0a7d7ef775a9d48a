"""The one atomic-write helper (vfa/atomic.py) and its callers: a file is the old one or
the new one, never half of one, and nothing is left beside it; a folder that takes no
file is refused; each caller keeps its permissions, and the data is on disk before the
name is."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.requirements import as_user, hand_over, user_folder
from vfa import atomic
from vfa.atomic import AtomicFile, atomic_writer
from vfa.errors import WorkspaceError
from vfa.media.cache import CACHE_FILE_MODE, save_cached
from vfa.outputs import OutputError, file_mode, write_bytes
from vfa.storage.backups import make_backup


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class Crash(Exception):
    """A failure half-way through a write (a full disk, a killed encoder…)."""


def test_atomic_writer_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "data.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_writer(target) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("disk trouble")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["data.bin"]
    with atomic_writer(target) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["data.bin"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    old=st.binary(max_size=2048),
    new=st.binary(max_size=2048),
    crash_after=st.one_of(st.none(), st.integers(min_value=0, max_value=2048)),
)
def test_the_target_is_always_the_old_or_the_new_file(tmp_path, old, new, crash_after):
    folder = tmp_path / "f"
    folder.mkdir(exist_ok=True)
    target = folder / "t.bin"
    target.write_bytes(old)
    try:
        with atomic_writer(target) as fh:
            for i in range(0, len(new), 97):
                if crash_after is not None and i >= crash_after:
                    raise Crash
                fh.write(new[i : i + 97])
            if crash_after is not None and crash_after >= len(new):
                raise Crash
    except Crash:
        assert target.read_bytes() == old
    else:
        assert target.read_bytes() == new
    assert names(folder) == ["t.bin"]


def test_without_replace_an_existing_name_is_kept(tmp_path):
    target = tmp_path / "t.txt"
    with AtomicFile(target) as pending:
        pending.path.write_text("mine")
        target.write_text("theirs")  # another program was quicker
        with pytest.raises(FileExistsError):
            pending.commit(replace=False)
    assert target.read_text() == "theirs" and names(tmp_path) == ["t.txt"]


def test_without_hard_links_an_existing_name_is_kept_too(tmp_path, monkeypatch):
    def no_links(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "t.txt"
    with AtomicFile(target) as pending:
        pending.path.write_text("first")
        pending.commit(replace=False)
    assert target.read_text() == "first"
    with AtomicFile(target) as pending:
        pending.path.write_text("second")
        with pytest.raises(FileExistsError):
            pending.commit(replace=False)
    assert target.read_text() == "first" and names(tmp_path) == ["t.txt"]


def test_the_data_is_on_disk_before_the_name_appears(tmp_path, monkeypatch):
    done: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (done.append("sync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (done.append("move"), real_replace(a, b))[1])
    with atomic_writer(tmp_path / "t.bin") as fh:
        fh.write(b"data")
    assert done == ["sync", "move", "sync"]  # the file, the move, then the folder


def test_a_crash_while_moving_into_place_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "t.bin"
    target.write_bytes(b"old")

    def crash(*_args: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="Input/output"), atomic_writer(target) as fh:
        fh.write(b"new")
    assert target.read_bytes() == b"old" and names(tmp_path) == ["t.bin"]


def test_a_folder_that_takes_no_file_is_refused_and_left_as_it_was():
    with user_folder() as home:
        locked = home / "locked"
        locked.mkdir()
        (locked / "t.bin").write_bytes(b"old")
        hand_over(home)
        locked.chmod(0o555)

        def attempt() -> str:
            try:
                with atomic_writer(locked / "t.bin") as fh:
                    fh.write(b"new")
            except PermissionError as exc:
                return f"refused: {exc.strerror}"
            return "written"

        assert as_user(home, attempt) == "refused: Permission denied"
        assert (locked / "t.bin").read_bytes() == b"old" and names(locked) == ["t.bin"]


# -- each caller keeps its guarantees ----------------------------------------------------


def test_a_users_file_replaced_with_force_survives_a_crash_mid_write(tmp_path, monkeypatch):
    target = tmp_path / "chart.png"
    target.write_bytes(b"old chart")

    def crash(self: Path, data: bytes) -> int:
        self.open("wb").write(data[:3])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", crash)
    with pytest.raises(OutputError) as err:
        write_bytes(target, b"new chart", force=True)
    assert str(err.value) == f"{target}: could not be written (No space left on device)"
    assert target.read_bytes() == b"old chart" and names(tmp_path) == ["chart.png"]


def test_a_users_file_has_ordinary_permissions(tmp_path):
    write_bytes(tmp_path / "a.png", b"png")
    assert stat.S_IMODE((tmp_path / "a.png").stat().st_mode) == file_mode()


def test_a_cache_file_is_the_users_only_and_a_failed_one_keeps_the_old(tmp_path, monkeypatch):
    cache = tmp_path / "strip.npz"
    save_cached(cache, np.array([1], np.int64), times=np.array([0, 1000], np.int64))
    assert stat.S_IMODE(cache.stat().st_mode) == CACHE_FILE_MODE
    before = cache.read_bytes()

    def crash(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "savez", crash)
    save_cached(cache, np.array([2], np.int64), times=np.array([0], np.int64))  # logged only
    assert cache.read_bytes() == before and names(tmp_path) == ["strip.npz"]


def _workspace(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES (1)")
    return path


def test_a_backup_is_the_owners_only_and_never_replaces_a_name(tmp_path):
    ws = _workspace(tmp_path / "ws.vfa")
    made = make_backup(ws, "manual")
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    with sqlite3.connect(made) as db:
        assert db.execute("SELECT x FROM t").fetchall() == [(1,)]
    assert names(made.parent) == [made.name]
    taken = tmp_path / "taken.vfa"
    taken.write_text("someone else's")
    with pytest.raises(WorkspaceError, match="already there"):
        make_backup(ws, "manual", target=taken)
    assert taken.read_text() == "someone else's"


def test_a_backup_that_fails_half_way_leaves_nothing(tmp_path, monkeypatch):
    ws = _workspace(tmp_path / "ws.vfa")

    def crash(*_args: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "link", crash)
    with pytest.raises(WorkspaceError) as err:
        make_backup(ws, "manual")
    assert "the backup could not be written (Input/output error)" in str(err.value)
    assert names(tmp_path / "backups") == []


def test_a_backups_folder_that_takes_no_file_is_named():
    with user_folder() as home:
        ws = _workspace(home / "ws.vfa")
        (home / "backups").mkdir()
        hand_over(home)
        (home / "backups").chmod(0o555)

        def attempt() -> str:
            try:
                make_backup(ws, "manual")
            except WorkspaceError as exc:
                return str(exc)
            return "written"

        said = as_user(home, attempt)
        assert said == f"{home / 'backups'}: cannot write a backup there (Permission denied)"
        assert names(home / "backups") == []


def test_the_private_folder_is_the_writers_only(tmp_path):
    with AtomicFile(tmp_path / "t.bin") as pending:
        assert stat.S_IMODE(pending.folder.stat().st_mode) == 0o700
        assert pending.folder.parent == tmp_path and pending.path.suffix == ".bin"
    assert not pending.folder.exists()


def test_sync_folder_is_quiet_where_a_folder_cannot_be_synced(tmp_path, monkeypatch):
    def refuse(_fd: int) -> None:
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(os, "fsync", refuse)
    atomic.sync_folder(tmp_path)  # no error: the rename is done already


def test_a_users_file_and_an_export_are_on_disk_before_their_names(tmp_path, monkeypatch):
    from vfa.services.export_files import staged_file

    done: list[str] = []
    real_fsync, real_link = os.fsync, os.link
    monkeypatch.setattr(os, "fsync", lambda fd: (done.append("sync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "link", lambda a, b: (done.append("link"), real_link(a, b))[1])
    write_bytes(tmp_path / "a.png", b"png")
    assert done == ["sync", "link", "sync"]
    done.clear()
    with staged_file(tmp_path / "coding.csv", force=False) as fh:
        fh.write(b"a,b\r\n")
    assert done == ["sync", "link", "sync"]
    assert (tmp_path / "coding.csv").read_bytes() == b"a,b\r\n"
