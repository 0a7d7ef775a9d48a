"""Encrypted workspaces at rest (storage/cipher.py, services/encryption.py): the file, its
write-ahead log and its backups read as random bytes without the passphrase; a missing or
wrong passphrase is refused and nothing on disk changes; encrypting and decrypting keep
every row; an older encrypted workspace is upgraded with an encrypted copy made first."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.services.test_edges_events import GAZE, TABLE
from tests.storage.test_workspace import _workspace_at_first_revision
from vfa.errors import (
    InvalidInputError,
    PassphraseNeededError,
    WorkspaceError,
    WrongPassphraseError,
)
from vfa.services import backups, coding, events
from vfa.services.encryption import decrypt_workspace, encrypt_workspace
from vfa.services.schemes import load_scheme_file
from vfa.storage import backups as store
from vfa.storage import cipher, passphrases
from vfa.storage.models import AuditEntry, Case
from vfa.storage.passphrases import Passphrase
from vfa.storage.workspace import HEAD, open_workspace

SECRET = "tea at four, rain at five"
CASE = "FAMCODE-7Q4"  # a case code to look for in the bytes
EVENT = "look_partner"  # an event code
# a coder's name, long enough not to turn up by chance in random bytes (a 3-letter name
# is in about 1 in 100 files of 170 kB)
CODER = "Annika Quist-Ferreira"


@pytest.fixture(autouse=True)
def no_remembered_passphrases(monkeypatch):
    """Each test starts with no passphrase known for any file."""
    monkeypatch.setattr(passphrases, "_remembered", {})
    monkeypatch.delenv(passphrases.ENV, raising=False)


def add_coding(ws, tmp_path: Path, case: str = CASE) -> int:
    """A clip of ``case`` with a run holding three events; the run's id."""
    from tests.services.test_edges_blind import add_clip_row

    scheme_file = tmp_path / "gaze.yaml"
    scheme_file.write_text(GAZE)
    scheme = load_scheme_file(scheme_file)
    clip, _ = add_clip_row(ws, TABLE, case=case)
    run = coding.open_run(ws, clip, scheme, CODER)
    for at in (1_000, 2_000, 3_000):
        events.code_event(ws, run.id, scheme, EVENT, "parent", at, TABLE)
    return run.id


def all_rows(path: Path, secret: Passphrase | None) -> dict[str, list[tuple]]:
    """Every row of every table, as the file holds them."""
    with closing(cipher.connect(path, secret, read_only=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            t: sorted(map(tuple, conn.execute(f'SELECT * FROM "{t}"')), key=repr) for t in tables
        }


def digest(path: Path) -> dict[str, str | None]:
    """The bytes of the workspace file and its -wal and -shm files, as digests."""
    out: dict[str, str | None] = {}
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        out[suffix] = hashlib.sha256(part.read_bytes()).hexdigest() if part.exists() else None
    return out


def assert_unreadable(path: Path) -> None:
    """The plain sqlite3 module cannot read the file, and no code shows in its bytes."""
    with (
        closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as raw,
        pytest.raises(sqlite3.DatabaseError, match="not a database"),
    ):
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
    data = path.read_bytes()
    assert data[:16] != cipher.HEADER
    # as random bytes: every byte value about as often as any other (a plain SQLite file
    # is mostly zeros); no value more than half again as often as the mean, plus slack
    counts = Counter(data)
    assert len(counts) == 256 and max(counts.values()) <= 1.5 * len(data) / 256 + 50
    for secret in (CASE, EVENT, CODER, "Gaze states"):  # the scheme's name, too
        assert secret.encode() not in data, f"{secret} is readable in {path.name}"


@pytest.fixture
def encrypted(tmp_path) -> tuple[Path, Passphrase]:
    """A workspace with coding, then encrypted."""
    path = tmp_path / "clinic.vfa"
    ws = open_workspace(path, create=True)
    try:
        add_coding(ws, tmp_path)
    finally:
        ws.close()
    secret = Passphrase(SECRET)
    encrypt_workspace(path, secret)
    passphrases.forget(path)  # as a new process: nothing remembered
    return path, secret


def test_without_the_passphrase_the_file_its_log_and_its_backups_are_random_bytes(
    encrypted, tmp_path
):
    path, secret = encrypted
    assert_unreadable(path)
    ws = open_workspace(path, passphrase=secret)
    try:
        add_coding(ws, tmp_path, case="FAMCODE-8Z1")
        wal = Path(f"{path}-wal")
        assert wal.stat().st_size > 0  # the edits are in the log, not yet in the file
        log = wal.read_bytes()
        for code in (CASE, "FAMCODE-8Z1", EVENT):
            assert code.encode() not in log
        made = backups.backup_now(ws)
    finally:
        ws.close()
    assert_unreadable(made)
    assert b"FAMCODE-8Z1" not in made.read_bytes()
    # every backup beside it, the one made before encrypting included, is encrypted too
    for backup in store.list_backups(path):
        assert_unreadable(backup.path)
    rows = all_rows(made, secret)
    assert sorted(r[1] for r in rows["case"]) == [CASE, "FAMCODE-8Z1"]


@pytest.mark.parametrize("given", [None, "not the passphrase"])
def test_a_missing_or_wrong_passphrase_is_refused_and_nothing_changes(encrypted, given):
    path, _ = encrypted
    before = digest(path)
    backups_before = [(b.path, b.size) for b in store.list_backups(path)]
    secret = Passphrase(given) if given else None
    with pytest.raises(WorkspaceError) as err:
        open_workspace(path, passphrase=secret)
    if given is None:
        assert isinstance(err.value, PassphraseNeededError)
        assert str(err.value) == (
            f"{path} is encrypted (or not a workspace): give its passphrase "
            "(--passphrase-file FILE or VFA_PASSPHRASE)"
        )
    else:
        assert isinstance(err.value, WrongPassphraseError)
        assert str(err.value) == f"{path}: wrong passphrase (or not a VFA workspace)"
    assert given is None or given not in str(err.value)
    assert digest(path) == before
    assert [(b.path, b.size) for b in store.list_backups(path)] == backups_before


def test_a_wrong_passphrase_is_refused_read_only_too(encrypted):
    path, _ = encrypted
    before = digest(path)
    with pytest.raises(WrongPassphraseError):
        open_workspace(path, read_only=True, passphrase=Passphrase("guess"))
    assert digest(path) == before


def test_the_passphrase_comes_from_the_environment_and_is_remembered_per_file(
    encrypted, monkeypatch
):
    path, _ = encrypted
    monkeypatch.setenv(passphrases.ENV, SECRET)
    ws = open_workspace(path)
    ws.close()
    monkeypatch.delenv(passphrases.ENV)
    ws = open_workspace(path, read_only=True)  # as the window reopens it after a restore
    try:
        with ws.sessions() as db:
            assert db.scalars(select(Case.code)).all() == [CASE]
    finally:
        ws.close()


def test_the_opened_workspace_keeps_wal_full_sync_and_foreign_keys(encrypted):
    path, secret = encrypted
    ws = open_workspace(path, passphrase=secret)
    try:
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()  # SQLCipher
        assert ws.read_only is None and ws.passphrase is secret
        # the passphrase shows nowhere a workspace is described
        for shown in (repr(ws), ws.label, str(ws.engine.url), repr(ws.engine)):
            assert SECRET not in shown
    finally:
        ws.close()
    assert repr(secret) == str(secret) == "Passphrase(…)"


def test_encrypting_then_decrypting_keeps_every_row(tmp_path):
    path = tmp_path / "clinic.vfa"
    ws = open_workspace(path, create=True)
    add_coding(ws, tmp_path)
    ws.close()
    original = all_rows(path, None)
    secret = Passphrase(SECRET)
    done = encrypt_workspace(path, secret)
    assert done.encrypted and done.backup.exists()
    encrypted_rows = all_rows(path, secret)
    audit = encrypted_rows.pop("audit_entry")
    assert encrypted_rows == {t: r for t, r in original.items() if t != "audit_entry"}
    assert len(audit) == len(original["audit_entry"]) + 1  # the encryption itself
    done = decrypt_workspace(path, secret)
    assert not done.encrypted
    plain = all_rows(path, None)
    assert plain.pop("audit_entry")[: len(audit)] == audit
    assert plain == {t: r for t, r in original.items() if t != "audit_entry"}
    ws = open_workspace(path)  # plain again: no passphrase needed
    try:
        with ws.sessions() as db:
            entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [e.action for e in entries[-2:]] == ["encrypt", "decrypt"]
        assert all(SECRET not in repr(e.detail) for e in entries)
    finally:
        ws.close()
    for backup in store.list_backups(path):  # the backups followed the workspace
        assert backup.path.read_bytes()[:16] == cipher.HEADER


def test_encrypting_is_refused_while_another_vfa_has_the_workspace_open(workspace):
    before = digest(workspace.path)
    with pytest.raises(WorkspaceError, match="another VFA has this workspace open"):
        encrypt_workspace(workspace.path, Passphrase(SECRET))
    assert workspace.path.read_bytes()[:16] == cipher.HEADER
    assert digest(workspace.path)[""] == before[""]


def test_a_short_passphrase_or_an_encrypted_file_is_not_encrypted_again(encrypted, tmp_path):
    path, secret = encrypted
    before = digest(path)
    with pytest.raises(InvalidInputError, match="already encrypted"):
        encrypt_workspace(path, secret)
    plain = tmp_path / "plain.vfa"
    open_workspace(plain, create=True).close()
    with pytest.raises(InvalidInputError, match="at least 8"):
        encrypt_workspace(plain, Passphrase("short"))
    with pytest.raises(InvalidInputError, match="is not encrypted"):
        decrypt_workspace(plain, secret)
    with pytest.raises(WrongPassphraseError):
        decrypt_workspace(path, Passphrase("not it at all"))
    assert digest(path) == before
    assert plain.read_bytes()[:16] == cipher.HEADER


def test_an_older_encrypted_workspace_is_upgraded_after_an_encrypted_copy(tmp_path):
    old = tmp_path / "old-plain.vfa"
    _workspace_at_first_revision(old)
    path = tmp_path / "old.vfa"
    secret = Passphrase(SECRET)
    cipher.export(old, None, path, secret)
    ws = open_workspace(path, passphrase=secret)
    try:
        assert ws.backup_path is not None
        with ws.sessions() as db:
            assert db.scalar(text("SELECT count(*) FROM annotation")) == 3  # kept by 0002
            assert db.scalar(text("SELECT version_num FROM alembic_version")) == HEAD
    finally:
        ws.close()
    assert_unreadable(ws.backup_path)
    with closing(cipher.connect(ws.backup_path, secret, read_only=True)) as bak:
        assert bak.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_restore_puts_a_plain_or_encrypted_backup_into_the_encrypted_workspace(encrypted, tmp_path):
    path, secret = encrypted
    plain_copy = tmp_path / "plain-backup.vfa"
    cipher.export(path, secret, plain_copy, None)  # e.g. a backup from before encrypting
    with passphrases.giving(secret):
        ws = open_workspace(path)
        add_coding(ws, tmp_path, case="FAMCODE-LATER")
        encrypted_backup = backups.backup_now(ws)
        ws.close()
        for source, cases in ((plain_copy, [CASE]), (encrypted_backup, [CASE, "FAMCODE-LATER"])):
            backups.restore_backup(path, source)
            assert sorted(r[1] for r in all_rows(path, secret)["case"]) == cases
            assert_unreadable(path)  # still encrypted, whatever the backup was


def test_a_garbage_file_without_a_passphrase_is_named_and_untouched(tmp_path):
    path = tmp_path / "notes.vfa"
    path.write_bytes(b"my notes" * 512)  # whole pages: it could be an encrypted workspace
    before = digest(path)
    with pytest.raises(PassphraseNeededError, match="is encrypted \\(or not a workspace\\)"):
        open_workspace(path)
    with pytest.raises(WrongPassphraseError):
        open_workspace(path, passphrase=Passphrase(SECRET))
    assert digest(path) == before


def test_a_file_of_no_whole_pages_is_no_workspace_plain_or_encrypted(tmp_path):
    path = tmp_path / "notes.vfa"
    path.write_bytes(b"my notes\n" * 100)  # 900 bytes: no database is that size
    before = digest(path)
    for given in (None, Passphrase(SECRET)):
        with pytest.raises(WorkspaceError, match="not a VFA workspace, plain or encrypted"):
            open_workspace(path, passphrase=given)
    assert digest(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["notes.vfa"]


def test_sqlcipher_says_nothing_on_the_terminal_about_a_wrong_passphrase(encrypted, capfd):
    path, _ = encrypted
    with pytest.raises(WrongPassphraseError):
        open_workspace(path, passphrase=Passphrase("a wrong guess"))
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_damaged_encrypted_workspace_opens_read_only_and_says_why(tmp_path):
    path = tmp_path / "clinic.vfa"
    ws = open_workspace(path, create=True)
    with ws.writes.begin() as db:
        db.add_all(Case(code=f"FAM-{i:05d}") for i in range(3000))
    ws.close()
    secret = Passphrase(SECRET)
    encrypt_workspace(path, secret)
    pages = path.stat().st_size // 4096
    with path.open("r+b") as f:  # a page in the middle of the case table, overwritten
        f.seek(4096 * (pages // 2))
        f.write(b"\xff" * 4096)
    ws = open_workspace(path, passphrase=secret)
    try:
        assert ws.read_only is not None and "damaged" in ws.read_only
        with pytest.raises(WorkspaceError, match="read-only"):
            ws.writes.begin()
    finally:
        ws.close()
