"""Open a workspace: connect, refuse a newer one, back up, migrate, check."""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, event, inspect, make_url, select, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import sessionmaker

import vfa
from vfa.atomic import create_private
from vfa.errors import NewerWorkspaceError, ReadOnlyWorkspaceError, VfaError, WorkspaceError
from vfa.storage import cipher, side_files, signed_in
from vfa.storage.backups import before_upgrade
from vfa.storage.engine import (
    WRITE_OPTION,
    make_engine,
    resolve_target,
    sqlite_url,
)
from vfa.storage.locks import SharedLock
from vfa.storage.logins import Identity, identify, not_a_person
from vfa.storage.models import WorkspaceInfo
from vfa.storage.passphrases import Passphrase, candidates, remember
from vfa.storage.pg_errors import connection_advice

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest migration. Opening a current workspace compares against this and never loads
# Alembic (a quarter of a second at start-up); tests check it against the scripts.
HEAD = "0009"


@dataclass
class Workspace:
    """An open workspace: its engine, a session factory and what opening it did."""

    url: str
    path: Path | None
    engine: Engine
    sessions: sessionmaker[DbSession]
    name: str
    backup_path: Path | None = None
    # why the workspace is open for reading only (damaged, a read-only file), or None
    read_only: str | None = None
    # what opened an encrypted workspace file (its backups are encrypted with it), or None
    passphrase: Passphrase | None = field(default=None, repr=False)
    # PostgreSQL: the login connected, and the person it is (who acts: see storage/logins)
    login: str | None = None
    person: str | None = None
    team: bool = False  # the server enforces the roles (vfa team init)
    _write_engine: Engine = field(init=False, repr=False)
    _writes: sessionmaker[DbSession] = field(init=False, repr=False)
    _lock: SharedLock | None = field(init=False, repr=False, default=None)
    _closed: bool = field(init=False, repr=False, default=False)
    tidy_on_close: bool = field(init=False, repr=False, default=False)  # see side_files

    def __post_init__(self) -> None:
        # a closed workspace stays closed: its engine would otherwise quietly reconnect
        event.listen(self.engine, "do_connect", self._refuse_when_closed)
        self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
        self._writes = sessionmaker(self._write_engine, expire_on_commit=False)
        if self.path is not None:
            self._lock = SharedLock(self.path)
        if self.person is not None:
            signed_in.sign_in(self, self.person)

    @property
    def label(self) -> str:
        """Where the workspace lives, for messages: the file or the URL without password."""
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def writes(self) -> sessionmaker[DbSession]:
        """Sessions that write: ``with ws.writes.begin() as db`` (IMMEDIATE on SQLite)."""
        self._check_writable()
        return self._writes

    @property
    def write_engine(self) -> Engine:
        """The engine for Core writes: ``with ws.write_engine.begin() as conn``."""
        self._check_writable()
        return self._write_engine

    def _check_writable(self) -> None:
        if self.read_only is not None:
            raise ReadOnlyWorkspaceError(
                f"{self.label}: the workspace is open read-only ({self.read_only}); "
                "nothing was changed"
            )

    def _refuse_when_closed(self, *_: object) -> None:
        if self._closed:
            raise WorkspaceError(
                f"{self.label}: the workspace was closed; nothing was read or changed"
            )

    def close(self) -> None:
        """Release every connection; the workspace refuses any use after this."""
        self._closed = True
        signed_in.sign_out(self)
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
        if self.tidy_on_close and self.path is not None:
            side_files.tidy(self.path, self.passphrase)


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
    target: str | os.PathLike[str] | None = None,
    *,
    create: bool = False,
    read_only: bool = False,
    name: str | None = None,
    passphrase: Passphrase | None = None,
) -> Workspace:
    """Open the workspace at a path or URL, migrating it as needed.

    Only ``create=True`` (``vfa workspace new``, the demo, the window's New) makes a new
    one; otherwise a missing workspace is refused and named. A damaged SQLite file or one
    that cannot be written opens read-only, with the reason in ``Workspace.read_only``.
    An encrypted file opens with ``passphrase``, else the first of ``candidates`` that fits;
    without one, or with a wrong one, it is refused untouched (PassphraseError).
    """
    url, path = resolve_target(target)
    where = str(path) if path is not None else make_url(url).render_as_string(hide_password=True)
    reason = "you asked for read-only" if read_only else None
    existed = True
    quiet = path is not None and not side_files.any_beside(path)
    secret: Passphrase | None = None
    if path is not None:
        existed = _check_sqlite_file(path, create)
        if existed and cipher.looks_encrypted(path):
            cipher.refuse_no_database(path)
            secret = cipher.first_that_opens(path, [passphrase] if passphrase else candidates(path))
        if existed and reason is None and not os.access(path, os.W_OK):
            reason = "the file cannot be written (permission denied)"
        if existed and reason is None:
            reason = _damage(path, where, secret)
    if reason is not None and path is not None:
        url = sqlite_url(path, read_only=True)
    # asked to read only, VFA leaves no log beside the file that was not there before
    tidy = read_only and existed and quiet
    keyed = cipher.keyed_dbapi(path, secret) if path is not None and secret else None
    engine = make_engine(url, read_only=reason is not None, label=where, dbapi=keyed)
    try:
        if reason is not None:
            _check_current(engine, where, reason)
            who = _identify(engine, where)
            ws_name = _read_name(engine) or name or _default_name(url, path)
            return _opened(
                Workspace(
                    url, path, engine, sessionmaker(engine), ws_name, read_only=reason, **who
                ),
                secret,
                tidy,
            )
        if path is None and not create and engine.dialect.name != "sqlite":
            _check_initialised(engine, where)
        backup = _migrate(engine, path, where, secret)
        who = _identify(engine, where)
        factory = sessionmaker(engine, expire_on_commit=False)
        ws_name = _ensure_info(factory, name or _default_name(url, path))
    except OperationalError as exc:
        engine.dispose()
        _forget_new(path, existed)
        said = _reason(exc)
        if engine.dialect.name == "postgresql":
            advice = connection_advice(said, engine.url.username)
            raise WorkspaceError(f"{where}: cannot connect ({said}): {advice}") from exc
        if not existed:
            raise _cannot_make(where, said) from exc
        raise WorkspaceError(f"{where}: the workspace cannot be used ({said})") from exc
    except DatabaseError as exc:
        engine.dispose()
        _forget_new(path, existed)
        raise WorkspaceError(f"{where}: not a VFA workspace ({_reason(exc)})") from exc
    except VfaError:
        engine.dispose()
        _forget_new(path, existed)
        if tidy and path is not None:
            side_files.tidy(path, secret)  # (the key was checked: it opens the file)
        raise
    return _opened(Workspace(url, path, engine, factory, ws_name, backup, **who), secret)


def _opened(ws: Workspace, secret: Passphrase | None, tidy: bool = False) -> Workspace:
    """An encrypted workspace keeps the passphrase that opened it, and this process
    remembers it for the file (a reopen after a restore does not ask again)."""
    ws.tidy_on_close = tidy
    if secret is not None and ws.path is not None:
        ws.passphrase = secret
        remember(ws.path, secret)
    return ws


def _identify(engine: Engine, where: str) -> dict[str, Any]:
    """On PostgreSQL, the login and the person it is; a login that is none of a team
    workspace's people (and not its administrator) is refused."""
    if engine.dialect.name != "postgresql":
        return {}
    with engine.connect() as conn:
        found: Identity = identify(conn)
    if found.team and found.person is None and not found.administrator:
        raise not_a_person(where, found.login)
    return {"login": found.login, "person": found.person, "team": found.team}


def _forget_new(path: Path | None, existed: bool) -> None:
    """A workspace file this call created and could not set up is removed again."""
    if path is None or existed:
        return
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _damage(path: Path, where: str, secret: Passphrase | None = None) -> str | None:
    """SQLite's quick check of an existing file: None when sound, else what is wrong."""
    errors = cipher.database_errors()
    try:
        conn = cipher.connect(path, secret, read_only=True, where=where)
    except errors as exc:
        raise WorkspaceError(f"{where}: the workspace cannot be opened ({exc})") from exc
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except errors as exc:
        text_ = str(exc)
        if "malformed" in text_:  # too damaged to list the problems: still try to read it
            return f"it is damaged: {text_}"
        if "not a database" in text_:
            raise WorkspaceError(f"{where}: not a VFA workspace ({text_})") from exc
        raise WorkspaceError(f"{where}: the workspace cannot be opened ({text_})") from exc
    finally:
        conn.close()
    if rows == ["ok"]:
        return None
    return "it is damaged: " + "; ".join(rows)


def _check_current(engine: Engine, where: str, reason: str) -> None:
    """A read-only workspace is used as it is: its schema must already be this VFA's."""
    with engine.connect() as conn:
        current = _current_revision(conn)
    if current is None:
        raise WorkspaceError(f"{where}: not a VFA workspace, and it cannot be set up ({reason})")
    if current != HEAD:
        from alembic.script import ScriptDirectory

        known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if current not in known:
            raise NewerWorkspaceError(
                f"{where}: this workspace was written by a newer version of VFA "
                f"(schema {current}; this VFA {vfa.__version__} knows up to {HEAD}). "
                "Update VFA to open it; nothing was changed."
            )
        raise WorkspaceError(
            f"{where}: the workspace needs an upgrade (schema {current} to {HEAD}) "
            f"but is open read-only ({reason}); open it once with this VFA to upgrade it. "
            "Nothing was changed"
        )


def _check_initialised(engine: Engine, where: str) -> None:
    """A team database that VFA has not set up is refused unless it is being created."""
    with engine.connect() as conn:
        if _current_revision(conn) is None:
            raise WorkspaceError(
                f"{where}: no VFA workspace in this database; set one up with "
                "`vfa workspace new URL`"
            )


def _read_name(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("workspace_info"):
            return None
        return conn.execute(text("SELECT value FROM workspace_info WHERE key = 'name'")).scalar()


def schema_revision(ws: Workspace) -> str | None:
    """The schema revision stored in the workspace itself."""
    with ws.engine.connect() as conn:
        return _current_revision(conn)


def _default_name(url: str, path: Path | None) -> str:
    if path is not None:
        return path.stem
    if url.startswith("sqlite"):
        return "in memory"
    return make_url(url).database or "team workspace"


def _reason(exc: DatabaseError) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip()


def _check_sqlite_file(path: Path, create: bool) -> bool:
    """Whether a workspace file is there; a missing one is refused unless creating."""
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise WorkspaceError(f"{path}: the workspace cannot be reached ({exc.strerror})") from exc
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise WorkspaceError(f"{path}: is a folder, not a workspace file")
        if not stat.S_ISREG(st.st_mode):
            raise WorkspaceError(f"{path}: is not a regular file, so not a workspace")
        if not os.access(path, os.R_OK):
            raise WorkspaceError(f"{path}: the workspace cannot be read (permission denied)")
        return True
    if not create:
        raise WorkspaceError(
            f"{path}: no workspace here. Check the path, or create one with "
            f"`vfa workspace new {path}` (File → New workspace… in the window)"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"{path}: cannot create the workspace folder ({exc.strerror or exc})"
        ) from exc
    if not os.access(path.parent, os.W_OK):
        raise WorkspaceError(f"{path}: the folder cannot be written (permission denied)")
    try:
        create_private(path)
    except FileExistsError as exc:  # (made meanwhile, by someone else)
        raise WorkspaceError(
            f"{path}: a file appeared there while the workspace was being made; it was left "
            "as it is and nothing was written"
        ) from exc
    except OSError as exc:
        raise _cannot_make(str(path), exc.strerror or str(exc)) from exc
    return False


def _cannot_make(where: str, why: str) -> WorkspaceError:
    return WorkspaceError(
        f"{where}: a new workspace cannot be made there ({why}); choose a folder that you "
        "may write to. Nothing was written"
    )


def _current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(
    engine: Engine, path: Path | None, where: str, secret: Passphrase | None = None
) -> Path | None:
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
    backup = None
    if path is not None and current is not None:
        backup = before_upgrade(path, current, secret)
    try:
        _upgrade(engine, where)
    except Exception:
        if backup is not None:  # rolled back: the file is as the backup, which adds nothing
            backup.unlink(missing_ok=True)
        raise
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
