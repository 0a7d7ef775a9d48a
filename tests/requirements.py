"""What some tests need from outside the checkout, and what happens when it is missing.

Locally a missing part is a skip whose reason names it (``-ra`` prints it in the summary);
with the environment variable CI set (``.ci/run``, ``CI=1 ./test``) it is a failure that
names it, so a CI run can never pass by quietly leaving tests out.
"""

from __future__ import annotations

import os
import pickle
import pwd
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

# ../shared beside the checkout (this file is tests/requirements.py); VFA_TEST_SHARED
# points elsewhere (the tests of this module point it at an empty folder)
SHARED = Path(os.environ.get("VFA_TEST_SHARED") or Path(__file__).resolve().parents[2] / "shared")
SHARED_MEDIA = SHARED / "media"
INTEROP = SHARED / "interop"


def in_ci() -> bool:
    """True when the run is a CI run (the CI variable is set and not empty)."""
    return bool(os.environ.get("CI"))


def need(part: str, reason: str) -> NoReturn:
    """``part`` is missing for ``reason``: skip here, fail naming it under CI."""
    if in_ci():
        pytest.fail(f"CI needs {part}: {reason} (see scripts/setup.sh and .ci/run)", pytrace=False)
    pytest.skip(f"{part} missing: {reason}")


def need_file(part: str, path: Path) -> Path:
    """``path`` itself, or :func:`need` saying it is not there."""
    if not path.exists():
        need(part, f"{path} not found")
    return path


def need_interop(relative: str) -> Path:
    """A file of the shared interop samples (``../shared/interop/RELATIVE``)."""
    return need_file("the shared interop samples (../shared/interop)", INTEROP / relative)


def need_media(relative: str = "manifest.json") -> Path:
    """A file of the shared barcode clips (``../shared/media/RELATIVE``)."""
    return need_file("the shared test media (../shared/media)", SHARED_MEDIA / relative)


def need_pg_url() -> str:
    """The throwaway PostgreSQL server's URL (VFA_TEST_PG_URL, set by ./test)."""
    url = os.environ.get("VFA_TEST_PG_URL")
    if not url:
        need("a PostgreSQL server", "VFA_TEST_PG_URL is not set (./test starts one when "
             "VFA_WITH_POSTGRES=1 or CI is set)")  # fmt: skip
    return url


# -- an ordinary user ---------------------------------------------------------------------
# Permission checks mean nothing to root. Run as root (CI containers), such a check runs in
# a forked child that has dropped to the 'nobody' account, on files in a folder it owns.

T = TypeVar("T")


@contextmanager
def user_folder() -> Iterator[Path]:
    """A fresh folder an ordinary user owns: 'nobody's when running as root."""
    folder = Path(tempfile.mkdtemp(prefix="vfa-user-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def hand_over(folder: Path) -> None:
    """Give ``folder`` and all in it to the user :func:`as_user` runs as (nothing unless root)."""
    if os.geteuid() != 0:
        return
    user = pwd.getpwnam("nobody")
    for path in [folder, *folder.rglob("*")]:
        os.lchown(path, user.pw_uid, user.pw_gid)


def as_user(home: Path, func: Callable[[], T]) -> T:
    """``func()`` as an ordinary user with ``home`` for its settings and cache: called
    here when not root, else in a forked child as 'nobody' (no groups); what it returns
    (or raises, as a failure) comes back.

    The child may not be able to read the interpreter's own folders (a Python under
    /root), so run ``func``'s code once beforehand: what it imports is then loaded.
    """
    env = {
        "VFA_CONFIG_DIR": str(home / ".config"),
        "VFA_CACHE_DIR": str(home / ".cache"),
        "VFA_WORKSPACE": str(home / ".workspace.vfa"),
    }
    if os.geteuid() != 0:
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            return func()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    user = pwd.getpwnam("nobody")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root for good, run, report, leave without cleanups
        status = 0
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            os.environ.update(env, HOME=str(home))
            try:
                outcome: tuple[str, object] = ("returned", func())
            except BaseException as exc:  # every outcome goes back to the test
                outcome = ("raised", "".join(traceback.format_exception(exc)))
            with os.fdopen(write, "wb") as fh:
                pickle.dump(outcome, fh)
        except BaseException:  # the report itself failed: the status says so
            status = 1
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        pytest.fail(f"the child running as {user.pw_name} died (wait status {status})")
    kind, value = pickle.loads(data)
    if kind == "raised":
        pytest.fail(f"as {user.pw_name}:\n{value}", pytrace=False)
    return value  # type: ignore[return-value]
