"""Open a workspace: connect, refuse a newer one, back up, migrate, check."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, make_url, select, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

import vfa
from vfa.errors import NewerWorkspaceError, WorkspaceError
from vfa.storage.engine import make_engine, resolve_target
from vfa.storage.models import WorkspaceInfo

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration. Opening a current workspace compares against this and never loads
# Alembic (a quarter of a second at start-up); tests check it against the scripts.
HEAD = "0005"


@dataclass
class Workspace:
    """An open workspace: its engine, a session factory and what opening it did."""

    url: str
    path: Path | None
    engine: Engine
    sessions: sessionmaker[DbSession]
    name: str
    backup_path: Path | None = None

    @property
    def label(self) -> str:
        """Where the workspace lives, for messages: the file or the URL without password."""
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Release every connection."""
        self.engine.dispose()


def alembic_config() -> Config:
    """The Alembic configuration of VFA's own migration scripts."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest schema revision this VFA knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def open_workspace(
    target: str | os.PathLike[str] | None = None, *, create: bool = True, name: str | None = None
) -> Workspace:
    """Open (creating or migrating as needed) the workspace at a path or URL."""
    url, path = resolve_target(target)
    where = str(path) if path is not None else make_url(url).render_as_string(hide_password=True)
    if path is not None:
        _check_sqlite_file(path, create)
    engine = make_engine(url)
    try:
        backup = _migrate(engine, path, where)
        factory = sessionmaker(engine, expire_on_commit=False)
        ws_name = _ensure_info(factory, name or _default_name(url, path))
    except OperationalError as exc:
        engine.dispose()
        raise WorkspaceError(f"{where}: the workspace cannot be used ({_reason(exc)})") from exc
    except DatabaseError as exc:
        engine.dispose()
        raise WorkspaceError(f"{where}: not a VFA workspace ({_reason(exc)})") from exc
    except WorkspaceError:
        engine.dispose()
        raise
    return Workspace(url, path, engine, factory, ws_name, backup)


def _default_name(url: str, path: Path | None) -> str:
    if path is not None:
        return path.stem
    if url.startswith("sqlite"):
        return "in memory"
    return url.rsplit("/", 1)[-1].split("?")[0] or "team workspace"


def _reason(exc: DatabaseError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip()


def _check_sqlite_file(path: Path, create: bool) -> None:
    if path.is_dir():
        raise WorkspaceError(f"{path}: is a folder, not a workspace file")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise WorkspaceError(f"{path}: the workspace cannot be read (permission denied)")
        if not os.access(path, os.W_OK):
            raise WorkspaceError(f"{path}: the workspace is read-only (permission denied)")
        return
    if not create:
        raise WorkspaceError(f"{path}: no workspace here")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot create the workspace folder ({exc})") from exc


def _current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(engine: Engine, path: Path | None, where: str) -> Path | None:
    """Bring the schema to head; return the backup made before migrating, if any."""
    with engine.connect() as conn:
        if _current_revision(conn) == HEAD:
            return None
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    known = {rev.revision for rev in script.walk_revisions()}
    with engine.connect() as conn:
        current = _current_revision(conn)
        tables = set(inspect(conn).get_table_names())
    if current is not None and current not in known:
        raise NewerWorkspaceError(
            f"{where}: this workspace was written by a newer version of VFA "
            f"(schema {current}; this VFA {vfa.__version__} knows up to {head}). "
            "Update VFA to open it; nothing was changed."
        )
    if current is None and tables - {"alembic_version"}:
        raise WorkspaceError(
            f"{where}: not a VFA workspace (it holds other tables: "
            f"{', '.join(sorted(tables)[:5])}); nothing was changed"
        )
    if current == head:
        return None
    backup = _backup(path, current) if path is not None and current is not None else None
    _upgrade(engine, where)
    return backup


def _upgrade(engine: Engine, where: str) -> None:
    """Run the migrations in one transaction; on SQLite with foreign keys off, then check."""
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.dbapi_connection if sqlite else None
        if raw is not None:
            # outside any transaction, where the pragma takes effect: a table rebuild
            # with foreign keys on would cascade deletes into child rows
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            conn.begin()  # ours, so that Alembic does not commit on its own
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            if sqlite:
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    shown = "; ".join(f"{t} row {r} -> {p}" for t, r, p, _ in problems[:5])
                    raise WorkspaceError(
                        f"{where}: the upgrade would leave {len(problems)} broken references "
                        f"({shown}); it was rolled back and nothing was changed"
                    )
            conn.commit()
        except DatabaseError as exc:
            conn.rollback()
            raise WorkspaceError(
                f"{where}: upgrading the workspace failed ({_reason(exc)}); nothing was changed"
            ) from exc
        except Exception:
            conn.rollback()
            raise
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def _backup(path: Path, revision: str) -> Path:
    """Copy the workspace with SQLite's backup API (consistent even in WAL mode)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.before-{revision}-{stamp}.bak")
    _copy_database(path, target)
    return target


def _copy_database(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _ensure_info(factory: sessionmaker[DbSession], default_name: str) -> str:
    with factory() as db:
        info = {row.key: row for row in db.scalars(select(WorkspaceInfo))}
        if "name" not in info:
            db.add(WorkspaceInfo(key="name", value=default_name))
        written = info.get("written_by")
        if written is None:
            db.add(WorkspaceInfo(key="written_by", value=vfa.__version__))
        elif written.value != vfa.__version__:
            written.value = vfa.__version__
        db.commit()
        return info["name"].value if "name" in info else default_name
