"""The engine factory: a SQLite file (default) or any SQLAlchemy URL."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS = 5000


def default_workspace_path() -> Path:
    """The user's own workspace: ``$VFA_WORKSPACE`` or the platform's user data folder."""
    env = os.environ.get("VFA_WORKSPACE")
    if env:
        return Path(env).expanduser()
    return user_data_path("vfa", appauthor=False) / "workspace.vfa"


def resolve_target(target: str | os.PathLike[str] | None) -> tuple[str, Path | None]:
    """Turn a path, URL or None into (SQLAlchemy URL, SQLite file path or None)."""
    if target is None:
        target = default_workspace_path()
    text = os.fspath(target)
    if "://" in text:
        if text.startswith("sqlite:///") and len(text) > len("sqlite:///"):
            return text, Path(text[len("sqlite:///") :])
        return text, None
    path = Path(text).expanduser().resolve()
    return f"sqlite:///{path}", path


def _sqlite_connect(dbapi_connection: object, _record: object) -> None:
    # let SQLAlchemy, not the driver, begin transactions, so that DDL is transactional too
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """An engine whose every SQLite connection has WAL, foreign keys and a busy timeout."""
    if url in ("sqlite://", "sqlite:///:memory:"):
        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    elif url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine
