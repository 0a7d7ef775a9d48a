"""Encrypted workspace files: SQLCipher connections keyed from a passphrase.

An encrypted workspace is a SQLite file written by SQLCipher (the ``sqlcipher3`` wheel:
SQLCipher 4, its own SQLite and crypto library inside). Every page is encrypted, the
write-ahead log too; the first 16 bytes are the salt, so the file has no "SQLite format 3"
header and reads as random bytes without the passphrase.

The passphrase is turned into SQLCipher's key here once per file (PBKDF2-HMAC-SHA512,
256,000 rounds: what ``PRAGMA key = 'passphrase'`` does, so the ``sqlcipher`` shell opens
the file with the same passphrase), and each connection is keyed with that raw key as its
first statement: opening a connection then costs no key derivation, and the passphrase is
never part of any SQL text. sqlcipher3 is imported only when an encrypted file is used.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from vfa.errors import PassphraseNeededError, WorkspaceError, WrongPassphraseError
from vfa.storage.passphrases import ENV, SALT_BYTES, Passphrase

HEADER = b"SQLite format 3\x00"
MIN_PAGE = 512  # SQLite's smallest page: every database file is whole pages
TIMEOUT_S = 5.0
# a long statement asks whether to stop every this many SQLite VM steps
CANCEL_EVERY = 1_000


def looks_encrypted(path: Path) -> bool:
    """Whether a file is not a plain SQLite file and not empty: encrypted, or not a
    workspace at all (the two cannot be told apart without the passphrase)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(HEADER))
    except OSError:
        return False  # whoever opens it next says what is wrong
    return bool(head) and head != HEADER


def refuse_no_database(path: Path) -> None:
    """WorkspaceError when a file without SQLite's header cannot be an encrypted workspace
    either: a database is whole pages of 512 bytes or more, encrypted ones too."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # whoever opens it next says what is wrong
    if size < MIN_PAGE or size % MIN_PAGE:
        raise WorkspaceError(
            f"{path}: not a VFA workspace, plain or encrypted (its {size:,} bytes cannot be "
            "a database); check that it is the file you meant. Nothing was changed"
        )


def needed_message(path: Path | str) -> str:
    """What to say when an encrypted file is opened without a passphrase."""
    return (
        f"{path} is encrypted (or not a workspace): give its passphrase "
        "(--passphrase-file FILE or VFA_PASSPHRASE)"
    )


def wrong_message(path: Path | str, passphrase: Passphrase | None = None) -> str:
    """What to say when the passphrase does not open the file: where that passphrase came
    from, when a command was given it, and what to do."""
    said = f"{path}: wrong passphrase (or not a VFA workspace)"
    source = getattr(passphrase, "source", "")
    if source.startswith("--passphrase-file"):
        return (
            f"{said}: the one in {source.removeprefix('--passphrase-file ')} does not open "
            "it; nothing was changed. Give the passphrase it was encrypted with (the whole "
            "first line of the file counts, spaces included)"
        )
    if source == ENV:
        return (
            f"{said}: the one in {ENV} does not open it; nothing was changed. Give the "
            f"passphrase it was encrypted with ({ENV}, or --passphrase-file FILE)"
        )
    return said


def require(path: Path, passphrase: Passphrase | None) -> Passphrase:
    """The passphrase for an encrypted file, or PassphraseNeededError naming the file."""
    if passphrase is None:
        raise PassphraseNeededError(needed_message(path))
    return passphrase


def dbapi() -> Any:
    """The sqlcipher3 DB-API module, or a WorkspaceError saying how to get it."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:
        raise WorkspaceError(
            "encrypted workspaces need the sqlcipher3 package, which this VFA lacks "
            f"({exc}); install it with: python -m pip install sqlcipher3"
        ) from exc
    return dbapi2


def database_errors() -> tuple[type[Exception], ...]:
    """The DB-API errors a workspace file may raise: sqlite3's, and SQLCipher's once used."""
    loaded = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.Error, loaded.Error) if loaded is not None else (sqlite3.Error,)


def _salt(path: Path, passphrase: Passphrase | None = None) -> bytes:
    try:
        with open(path, "rb") as fh:
            salt = fh.read(SALT_BYTES)
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if len(salt) < SALT_BYTES:
        raise WrongPassphraseError(wrong_message(path, passphrase))
    return salt


def key_statement(passphrase: Passphrase, salt: bytes, *, new: bool = False) -> str:
    """``PRAGMA key`` with the raw key for a file with this salt (and the salt itself for
    a new file, which SQLCipher then writes as the file's first 16 bytes)."""
    key = passphrase.key(salt).hex()
    return f"PRAGMA key = \"x'{key}{salt.hex() if new else ''}'\""


def _key(conn: Any, statement: str) -> None:
    """Key a fresh SQLCipher connection: nothing may read the file before this."""
    conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is ours to report
    conn.execute(statement)
    conn.execute("PRAGMA cipher_compatibility = 4")
    conn.execute("PRAGMA temp_store = MEMORY")  # no temporary file holds plain rows


class KeyedDbapi:
    """sqlcipher3's module as SQLAlchemy's SQLite dialect uses it: every connection is
    keyed before the dialect or VFA runs anything on it."""

    def __init__(self, module: Any, statement: str) -> None:
        self._module = module
        self._statement = statement

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def __repr__(self) -> str:
        return "KeyedDbapi(sqlcipher3)"

    def connect(self, *args: Any, **kwargs: Any) -> Any:
        """A SQLCipher connection, keyed."""
        conn = self._module.connect(*args, **kwargs)
        try:
            _key(conn, self._statement)
        except BaseException:
            conn.close()
            raise
        return conn


def keyed_dbapi(path: Path, passphrase: Passphrase) -> KeyedDbapi:
    """The DB-API module an engine on the encrypted file at ``path`` connects with."""
    return KeyedDbapi(dbapi(), key_statement(passphrase, _salt(path, passphrase)))


def connect(
    path: Path,
    passphrase: Passphrase | None,
    *,
    read_only: bool = False,
    where: str | None = None,
) -> Any:
    """A DB-API connection to an existing workspace file: SQLCipher keyed with the
    passphrase (checked: WrongPassphraseError when it does not open the file), else the
    standard sqlite3 module."""
    target = f"file:{quote(str(path))}?mode=ro" if read_only else str(path)
    if passphrase is None:
        return sqlite3.connect(target, uri=read_only, timeout=TIMEOUT_S)
    module = dbapi()
    statement = key_statement(passphrase, _salt(path, passphrase))
    conn = module.connect(target, uri=read_only, timeout=TIMEOUT_S)
    try:
        _key(conn, statement)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc):
            raise WrongPassphraseError(wrong_message(where or path, passphrase)) from None
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def connect_new(path: Path, passphrase: Passphrase | None) -> Any:
    """A connection that makes a new database at ``path`` (an empty file or none),
    encrypted with the passphrase under a fresh salt, or plain without one."""
    if passphrase is None:
        return sqlite3.connect(path, timeout=TIMEOUT_S)
    conn = dbapi().connect(str(path), timeout=TIMEOUT_S)
    try:
        _key(conn, key_statement(passphrase, os.urandom(SALT_BYTES), new=True))
    except BaseException:
        conn.close()
        raise
    return conn


def first_that_opens(path: Path, tried: list[Passphrase]) -> Passphrase:
    """The first passphrase that opens the encrypted file at ``path``: none given is
    PassphraseNeededError, none fitting the first one's WrongPassphraseError."""
    if not tried:
        raise PassphraseNeededError(needed_message(path))
    refused: WrongPassphraseError | None = None
    for passphrase in tried:
        try:
            check_opens(path, passphrase)
        except WrongPassphraseError as exc:
            refused = refused or exc
        else:
            return passphrase
    assert refused is not None
    raise refused


def check_opens(path: Path, passphrase: Passphrase, where: str | None = None) -> None:
    """WrongPassphraseError unless the passphrase opens the encrypted file at ``path``."""
    connect(path, passphrase, read_only=True, where=where).close()


def export(
    source: Path,
    source_key: Passphrase | None,
    target: Path,
    target_key: Passphrase | None,
    cancel: Callable[[], bool] | None = None,
) -> None:
    """Copy every table, index, trigger and view of ``source`` into the new database
    ``target`` (an empty file or none) with ``sqlcipher_export``, in one read transaction:
    encrypted with ``target_key`` under a fresh salt, or plain without one. A ``cancel``
    that turns true interrupts the copy (SQLite's "interrupted" error)."""
    module = dbapi()
    conn = (
        connect(source, source_key)
        if source_key is not None
        else module.connect(str(source), timeout=TIMEOUT_S)
    )
    try:
        conn.isolation_level = None  # the transaction below is ours
        if target_key is None:
            key = "''"
        else:
            salt = os.urandom(SALT_BYTES)
            key = f"\"x'{target_key.key(salt).hex()}{salt.hex()}'\""
        conn.execute(f"ATTACH DATABASE ? AS vfa_export KEY {key}", (str(target),))
        try:
            if cancel is not None:
                conn.set_progress_handler(lambda: int(cancel()), CANCEL_EVERY)
            conn.execute("BEGIN")
            conn.execute("SELECT sqlcipher_export('vfa_export')")
            version = conn.execute("PRAGMA main.user_version").fetchone()[0]
            conn.execute(f"PRAGMA vfa_export.user_version = {int(version)}")
            conn.execute("COMMIT")
        except BaseException:
            conn.set_progress_handler(None, 0)  # the rollback is not interrupted
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.set_progress_handler(None, 0)
            conn.execute("DETACH DATABASE vfa_export")
    finally:
        conn.close()
