"""The engine factory: a SQLite file (default) or any SQLAlchemy URL."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.pool import StaticPool

from vfa.errors import WorkspaceError
from vfa.storage.locations import default_workspace_path, is_memory_url

BUSY_TIMEOUT_MS = 5000
# FULL syncs the write-ahead log at every commit, so an edit VFA reported stored survives
# a power cut too (NORMAL survives a crashed or killed VFA, not a power cut); the commit
# costs are in docs/architecture.md (bench_commit).
SYNCHRONOUS = "FULL"


def resolve_target(target: str | os.PathLike[str] | None) -> tuple[str, Path | None]:
    """Turn a path, URL or None into (SQLAlchemy URL, SQLite file path or None)."""
    if target is None:
        target = default_workspace_path()
    text = os.fspath(target)
    if "://" in text:
        scheme = text.split("://", 1)[0].split("+", 1)[0].lower()
        if scheme not in ("sqlite", "postgresql"):
            raise WorkspaceError(
                f"{_hide_password(text)}: not a workspace location VFA can use "
                "(a workspace is a SQLite file path, or a PostgreSQL URL such as "
                "postgresql+psycopg://user@host/vfa)"
            )
        if is_memory_url(text):
            return text, None
        if text.startswith("sqlite:///") and len(text) > len("sqlite:///"):
            return text, Path(text[len("sqlite:///") :].split("?", 1)[0])
        return text, None
    try:
        path = Path(text).expanduser().resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links (Python < 3.13)
        why = getattr(exc, "strerror", None) or "a loop of symbolic links"
        raise WorkspaceError(f"{text}: the workspace cannot be reached ({why})") from exc
    return f"sqlite:///{path}", path


# Execution option of the engine that writes: its transactions begin IMMEDIATE on SQLite,
# so a writer waits out the busy timeout for the write lock instead of failing at once
# when another process committed after this transaction's first read.
WRITE_OPTION = "vfa_write"


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not even a URL: show only its kind
        return url.split("://", 1)[0] + "://…"


def _sqlite_connect(dbapi_connection: object, _record: object, *, read_only: bool) -> None:
    # let SQLAlchemy, not the driver, begin transactions, so that DDL is transactional too
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if read_only:
        cursor.execute("PRAGMA query_only=ON")
    else:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(WRITE_OPTION)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def sqlite_url(path: Path, *, read_only: bool = False) -> str:
    """The SQLAlchemy URL of a SQLite file, opened read-only when asked."""
    if read_only:
        return f"sqlite:///file:{quote(str(path))}?mode=ro&uri=true"
    return f"sqlite:///{path}"


DAMAGED_ADVICE = (
    "VFA will not write to it. Keep a copy of the file as it is, then go back to the newest "
    "backup (File → Backups…, or vfa backup --list and vfa restore BACKUP; the backups are "
    "in the backups folder beside the workspace) or ask whoever looks after your workspaces."
)


def _translate(label: str, context: ExceptionContext) -> Exception | None:
    """Database errors a user can act on become WorkspaceErrors that say what to do."""
    original = context.original_exception
    if not isinstance(original, Exception):
        return None
    text = str(original).strip()
    lowered = text.lower()
    if "malformed" in lowered or "not a database" in lowered:
        return WorkspaceError(f"{label}: the workspace file is damaged ({text}). {DAMAGED_ADVICE}")
    if "database is locked" in lowered or "database table is locked" in lowered:
        return WorkspaceError(
            f"{label}: another program kept the workspace busy for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s; nothing was stored, try again"
        )
    if "readonly database" in lowered:
        return WorkspaceError(
            f"{label}: the workspace cannot be written ({text}); nothing was stored"
        )
    if "disk is full" in lowered or "disk i/o error" in lowered:
        return WorkspaceError(
            f"{label}: the workspace could not be written ({text}); nothing was stored"
        )
    return None


def make_engine(
    url: str, *, read_only: bool = False, label: str | None = None, dbapi: Any = None
) -> Engine:
    """An engine whose every SQLite connection has WAL, foreign keys and a busy timeout.
    ``dbapi`` connects instead of the sqlite3 module (an encrypted workspace's keyed
    SQLCipher: storage/cipher.py)."""
    if url in ("sqlite://", "sqlite:///:memory:"):
        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    elif url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            **({"module": dbapi} if dbapi is not None else {}),
        )
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", partial(_sqlite_connect, read_only=read_only))
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "handle_error", partial(_translate, label or _hide_password(url)))
    elif engine.dialect.name == "postgresql":
        from vfa.storage.pg_errors import translate

        event.listen(engine, "handle_error", partial(translate, label or _hide_password(url)))
    return engine
