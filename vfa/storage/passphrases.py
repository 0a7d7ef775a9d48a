"""An encrypted workspace's passphrase: the secret itself, and where it comes from.

A passphrase is given for one command (``vfa --passphrase-file FILE``, :func:`giving`),
remembered for a file once it opened that file (the window's passphrase dialog; a
restore reopens the workspace without asking again), or taken from ``$VFA_PASSPHRASE``;
:func:`passphrase_for` asks in that order. It is kept in memory only: never written,
logged, shown, or put in a URL (its ``repr`` is ``Passphrase(…)``).

No database layer here: the command line reads the passphrase file before SQLAlchemy is
imported.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

from vfa.errors import InvalidInputError
from vfa.files import NotReadable, read_regular

ENV = "VFA_PASSPHRASE"
# a passphrase file is a line of text: anything larger is not one
MAX_FILE_BYTES = 64 * 1024
# SQLCipher 4's key derivation (PRAGMA key = 'passphrase' derives the same key)
KDF = "sha512"
KDF_ITERATIONS = 256_000
KEY_BYTES = 32
SALT_BYTES = 16
# a new passphrase (encrypting a workspace) must be at least this long
MIN_NEW_LENGTH = 8


# where a passphrase typed in (a dialog, a test) came from, as messages name it
TYPED = "the passphrase"


class Passphrase:
    """A passphrase held in memory; shown as ``Passphrase(…)``, never as itself."""

    __slots__ = ("_keys", "_lock", "_secret", "source")

    def __init__(self, text: str, what: str = TYPED) -> None:
        if not text:
            raise InvalidInputError(f"{what}: is empty; give the workspace's passphrase")
        # where it came from, for a message (--passphrase-file FILE, VFA_PASSPHRASE)
        self.source = what
        # the bytes the user typed (an environment variable's undecodable bytes included)
        self._secret = text.encode("utf-8", "surrogateescape")
        self._keys: dict[bytes, bytes] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return "Passphrase(…)"

    __str__ = __repr__

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a passphrase is not pickled")

    def __len__(self) -> int:
        return len(self._secret.decode("utf-8", "surrogateescape"))

    def same_as(self, other: Passphrase) -> bool:
        """Whether two passphrases are the same text."""
        return hmac.compare_digest(self._secret, other._secret)

    def key(self, salt: bytes) -> bytes:
        """The raw 256-bit key for a file with this salt (derived once, then kept)."""
        with self._lock:
            found = self._keys.get(salt)
            if found is None:
                found = hashlib.pbkdf2_hmac(KDF, self._secret, salt, KDF_ITERATIONS, KEY_BYTES)
                self._keys[salt] = found
            return found


_given: list[Passphrase | None] = []  # giving's passphrases, innermost last (process-wide)
_remembered: dict[Path, Passphrase] = {}


def _where(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


@contextlib.contextmanager
def giving(passphrase: Passphrase | None) -> Iterator[None]:
    """Within the block, ``passphrase`` opens any encrypted file (None: nothing changes).
    For one command at a time, as ``vfa --passphrase-file``."""
    _given.append(passphrase)
    try:
        yield
    finally:
        _given.pop()


def remember(path: Path, passphrase: Passphrase) -> None:
    """``passphrase`` opened the file at ``path``: use it there again in this process."""
    _remembered[_where(path)] = passphrase


def forget(path: Path) -> None:
    """The file at ``path`` is no longer encrypted (or has another passphrase now)."""
    _remembered.pop(_where(path), None)


def from_env() -> Passphrase | None:
    """``$VFA_PASSPHRASE``, when set and not empty."""
    text = os.environ.get(ENV)
    return Passphrase(text, ENV) if text else None


def passphrase_for(path: Path | None) -> Passphrase | None:
    """The passphrase to try on an encrypted file: the one given for this command, the one
    that opened this file before, else ``$VFA_PASSPHRASE``; None when there is none."""
    found = candidates(path)
    return found[0] if found else None


def candidates(path: Path | None) -> list[Passphrase]:
    """Every passphrase that may open an encrypted file, in order (each once): the one
    given for this command, the one that opened this file before, ``$VFA_PASSPHRASE``. A
    file opens with the first of them that fits it, so a command
    may open two workspaces of different passphrases (a merge: one given with
    ``--passphrase-file``, the other in ``$VFA_PASSPHRASE``)."""
    found: list[Passphrase] = []
    given = next((g for g in reversed(_given) if g is not None), None)
    remembered = _remembered.get(_where(path)) if path is not None else None
    for one in (given, remembered, from_env()):
        if one is not None and not any(one.same_as(f) for f in found):
            found.append(one)
    return found


def read_passphrase_file(
    path: str | os.PathLike[str], what: str = "--passphrase-file"
) -> Passphrase:
    """The passphrase on the first line of a file (a regular file of at most 64 KiB, UTF-8;
    the line ending is not part of it)."""
    where = f"{what} {os.fspath(path)}"
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except NotReadable as exc:
        raise InvalidInputError(f"{where}: {exc.reason}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{where}: is not UTF-8 text (byte {exc.start}); write the passphrase as text"
        ) from None
    line = text.removeprefix("\ufeff").split("\n", 1)[0].removesuffix("\r")
    if not line:
        raise InvalidInputError(f"{where}: its first line is empty; put the passphrase there")
    return Passphrase(line, where)


def readable_by_others(path: str | os.PathLike[str]) -> bool:
    """Whether a passphrase file can be read by other users (its mode lets group or others
    read it); False where the system has no such modes."""
    if os.name != "posix":
        return False
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return bool(stat.S_IMODE(mode) & 0o044)


def check_new(passphrase: Passphrase) -> Passphrase:
    """A passphrase to encrypt with must be at least MIN_NEW_LENGTH characters."""
    if len(passphrase) < MIN_NEW_LENGTH:
        given = "" if passphrase.source == TYPED else f"{passphrase.source}: "
        raise InvalidInputError(
            f"{given}the passphrase has {len(passphrase)} characters; give one of at least "
            f"{MIN_NEW_LENGTH} (a few unrelated words are easy to type and hard to guess)"
        )
    return passphrase
