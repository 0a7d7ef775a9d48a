"""Stopping or failing an encryption (services/encryption.py): until the checked copy
replaces the workspace, a stop asked for at any moment (between phases, or inside the
copy and its check: SQLite's interrupt) leaves the workspace file, the files beside it,
its backups and its audit trail exactly as they were; a stop asked for after that is
too late and the work completes; progress rises to 1."""

from __future__ import annotations

import hashlib
import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.storage.test_encrypted_workspace import SECRET, add_coding, all_rows
from vfa.errors import WorkspaceError
from vfa.services import encryption
from vfa.services.audit import record
from vfa.services.encryption import (
    CHECKED,
    EncryptionCancelled,
    decrypt_workspace,
    encrypt_workspace,
)
from vfa.storage import backups as store
from vfa.storage import cipher, passphrases
from vfa.storage.passphrases import Passphrase
from vfa.storage.workspace import open_workspace


@pytest.fixture(autouse=True)
def no_remembered_passphrases(monkeypatch):
    monkeypatch.setattr(passphrases, "_remembered", {})
    monkeypatch.delenv(passphrases.ENV, raising=False)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A workspace with coding, a long audit trail (so that copying it takes SQLite long
    enough to ask whether to stop inside its statements) and one backup, made once."""
    folder = tmp_path_factory.mktemp("stops")
    path = folder / "clinic.vfa"
    ws = open_workspace(path, create=True)
    try:
        add_coding(ws, folder)
        with ws.writes.begin() as db:
            for n in range(3_000):
                record(db, "note", "workspace", 0, {"n": n})
    finally:
        ws.close()
    store.make_backup(path, "manual")
    return path


def copy_of(template: Path, folder: Path) -> Path:
    """The template's workspace and its backups folder, in ``folder``."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, folder / template.name)
    shutil.copytree(template.parent / "backups", folder / "backups")
    return folder / template.name


def everything(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too), by its path and a digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class StopAfter:
    """A ``cancel`` that says stop from its ``n``-th question on (counting them)."""

    def __init__(self, n: int | None) -> None:
        self.n, self.asked = n, 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.n is not None and self.asked > self.n


def questions(template: Path, folder: Path) -> int:
    """How many times an encryption of the template asks whether to stop."""
    counting = StopAfter(None)
    encrypt_workspace(copy_of(template, folder), Passphrase(SECRET), cancel=counting)
    return counting.asked


@pytest.fixture(scope="module")
def asked(template, tmp_path_factory) -> int:
    return questions(template, tmp_path_factory.mktemp("count"))


@pytest.mark.parametrize("encrypting", [True, False])
def test_the_copy_itself_is_interrupted_and_rolled_back(template, tmp_path, encrypting):
    path = copy_of(template, tmp_path / "interrupted")
    secret = Passphrase(SECRET)
    if not encrypting:
        encrypt_workspace(path, secret)
    source_key, target_key = (None, secret) if encrypting else (secret, None)
    target = tmp_path / "copy.vfa"
    stop = StopAfter(0)
    with pytest.raises(cipher.dbapi().OperationalError, match="interrupted"):
        cipher.export(path, source_key, target, target_key, cancel=stop)
    assert stop.asked == 1  # asked once, inside the copy, and it stopped there
    assert not target.exists() or target.stat().st_size == 0  # rolled back: nothing in it


def test_asking_inside_the_statements_gives_many_more_moments_to_stop(asked):
    assert asked > 2 * len(("open", "lock", "settle", "copy", "checked"))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_stop_at_any_moment_before_the_workspace_is_replaced_changes_nothing(
    template, asked, tmp_path, data
):
    n = data.draw(st.integers(0, asked - 1), label="questions answered 'go on'")
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # (one per example)
    path = copy_of(template, folder)
    before = everything(folder)
    stop = StopAfter(n)
    reached: list[float] = []
    with pytest.raises(EncryptionCancelled) as stopped:
        encrypt_workspace(path, Passphrase(SECRET), cancel=stop, progress=reached.append)
    assert str(stopped.value) == f"{path}: stopped; it was not encrypted, nothing was changed"
    assert everything(folder) == before  # no part file, no backup, not a byte changed
    assert all_rows(path, None) == all_rows(template, None)
    assert max(reached, default=0.0) <= CHECKED


def test_a_stop_asked_once_the_copy_is_checked_is_too_late_and_the_work_completes(
    template, tmp_path
):
    path = copy_of(template, tmp_path / "late")
    reached: list[float] = []
    done = encrypt_workspace(
        path,
        Passphrase(SECRET),
        progress=reached.append,
        cancel=lambda: bool(reached) and reached[-1] >= CHECKED,
    )
    assert done.encrypted and cipher.looks_encrypted(path)
    backups = store.list_backups(path)  # the one made before, and the one made now
    assert done.backups == len(backups) == 2
    assert all(cipher.looks_encrypted(b.path) for b in backups)
    assert reached == sorted(reached) and reached[-1] == 1.0
    assert [f for f in reached if f > CHECKED]  # it went on after the last stop


def test_decrypting_stops_the_same_way(template, tmp_path):
    path = copy_of(template, tmp_path / "decrypt")
    secret = Passphrase(SECRET)
    encrypt_workspace(path, secret)
    before = everything(path.parent)
    for n in itertools.islice(itertools.count(), 0, 8, 3):
        with pytest.raises(EncryptionCancelled, match="it was not decrypted, nothing was changed"):
            decrypt_workspace(path, secret, cancel=StopAfter(n))
        assert everything(path.parent) == before


def test_a_copy_found_wanting_leaves_no_backup_of_a_change_never_made(
    template, tmp_path, monkeypatch
):
    path = copy_of(template, tmp_path / "wanting")
    before = everything(path.parent)

    def lost_rows(*_args: object, **_kwargs: object) -> None:
        raise WorkspaceError(f"{path}: the copy lost rows; nothing was changed")

    monkeypatch.setattr(encryption, "_check_copy", lost_rows)
    with pytest.raises(WorkspaceError, match="the copy lost rows"):
        encrypt_workspace(path, Passphrase(SECRET))
    assert everything(path.parent) == before  # (the backup "before-encrypt" was left here)
