"""Workspaces on SQLite files and in memory: pragmas, migrations, refusals."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import stat
import threading
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tests.requirements import as_user, hand_over, user_folder
from vfa.errors import NewerWorkspaceError, WorkspaceError
from vfa.storage import engine as engine_module
from vfa.storage.engine import make_engine, resolve_target
from vfa.storage.models import Annotation, Case, Clip, Coder, CodingRun, Role, Scheme, Session
from vfa.storage.workspace import alembic_config, head_revision, open_workspace


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pragma(ws, name: str):
    with ws.engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_a_file_workspace_has_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    ws = open_workspace(tmp_path / "a.vfa", create=True)
    try:
        assert _pragma(ws, "journal_mode") == "wal"
        assert _pragma(ws, "foreign_keys") == 1
        assert _pragma(ws, "busy_timeout") == engine_module.BUSY_TIMEOUT_MS
        assert _pragma(ws, "synchronous") == 2  # FULL: an acknowledged edit survives a power cut
        assert ws.name == "a"
        assert ws.backup_path is None
    finally:
        ws.close()


def test_an_in_memory_workspace_keeps_its_data_across_sessions():
    ws = open_workspace("sqlite://")
    with ws.sessions.begin() as db:
        db.add(Case(code="FAM-1"))
    with ws.sessions() as db:
        assert db.scalars(select(Case.code)).all() == ["FAM-1"]
    assert _pragma(ws, "foreign_keys") == 1
    ws.close()


def test_the_head_constant_is_the_newest_migration_script():
    from vfa.storage.workspace import HEAD

    assert head_revision() == HEAD


def test_foreign_keys_are_enforced(workspace):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), workspace.sessions.begin() as db:
        db.add(Session(case_id=999, label="orphan"))


def test_default_workspace_is_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("VFA_WORKSPACE", str(tmp_path / "mine.vfa"))
    url, path = resolve_target(None)
    assert path == tmp_path / "mine.vfa"
    assert url == f"sqlite:///{tmp_path / 'mine.vfa'}"


def test_a_url_is_passed_through():
    assert resolve_target("postgresql+psycopg://u@h/db") == ("postgresql+psycopg://u@h/db", None)


def test_reopening_keeps_data_and_makes_no_backup(tmp_path):
    path = tmp_path / "w.vfa"
    ws = open_workspace(path, create=True)
    with ws.sessions.begin() as db:
        db.add(Case(code="FAM-2"))
    ws.close()
    ws = open_workspace(path)
    with ws.sessions() as db:
        assert db.scalars(select(Case.code)).all() == ["FAM-2"]
    assert ws.backup_path is None
    ws.close()


def _workspace_at_first_revision(path: Path) -> None:
    """A workspace as VFA's first schema wrote it, with a clip and its coding."""
    eng = make_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with eng.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.commit()
    with eng.begin() as conn:
        conn.execute(
            text("INSERT INTO \"case\" (id, code, created_at) VALUES (1, 'FAM-9', '2026-01-01')")
        )
        conn.execute(text("INSERT INTO session (id, case_id, label) VALUES (1, 1, 'Visit 1')"))
        conn.execute(
            text(
                "INSERT INTO clip (id, session_id, path, fingerprint, file_size, file_mtime_ns, "
                "duration_ms, frame_count, fps, vfr, width, height, has_audio, codec, frame_table, "
                "added_at) VALUES (1, 1, '/v/a.mp4', 'f', 1, 1, 1000, 25, 25, 0, 640, 360, 1, "
                "'h264', x'00', '2026-01-01')"
            )
        )
        conn.execute(text("INSERT INTO coder (id, name, role) VALUES (1, 'Ann', 'coder')"))
        conn.execute(
            text(
                "INSERT INTO scheme (id, scheme_key, version, content_hash, name, content) "
                "VALUES (1, 'kips', '1', 'h', 'KIPS', '{}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO coding_run (id, clip_id, scheme_id, coder_id, status, blind, "
                "created_at) VALUES (1, 1, 1, 1, 'assigned', 0, '2026-01-01')"
            )
        )
        for i in range(3):
            conn.execute(
                text(
                    "INSERT INTO annotation (run_id, code, start_ms, end_ms, start_frame, "
                    "end_frame, modifiers, created_at) VALUES "
                    f"(1, 'look', {i * 40}, {i * 40}, {i}, {i}, '{{}}', '2026-01-01')"
                )
            )
    eng.dispose()


def test_migration_backs_up_first_and_keeps_child_rows(tmp_path):
    path = tmp_path / "old.vfa"
    _workspace_at_first_revision(path)
    before = os.umask(0o022)  # the usual: files readable by everyone
    try:
        ws = open_workspace(path)
    finally:
        os.umask(before)
    try:
        assert ws.backup_path is not None and ws.backup_path.exists()
        assert stat.S_IMODE(ws.backup_path.stat().st_mode) == 0o600  # a family's coding
        with closing(sqlite3.connect(ws.backup_path)) as bak:
            assert bak.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
            assert bak.execute("SELECT count(*) FROM annotation").fetchone() == (3,)
        with ws.sessions() as db:
            clip = db.get(Clip, 1)
            assert clip is not None and clip.rotation == 0
            clip.rotation = 45  # the new constraint holds
            with pytest.raises(IntegrityError):
                db.flush()
            db.rollback()
            # the clip table was rebuilt: with foreign keys on, this would cascade to zero
            assert len(db.scalars(select(Annotation)).all()) == 3
            assert db.get(CodingRun, 1) is not None
        with ws.engine.connect() as conn:
            version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        assert version == head_revision()
        assert _pragma(ws, "foreign_keys") == 1
    finally:
        ws.close()


def test_a_migration_that_breaks_references_is_rolled_back(tmp_path):
    path = tmp_path / "broken.vfa"
    _workspace_at_first_revision(path)
    with closing(sqlite3.connect(path)) as raw, raw:  # an orphan row, as an old bug might have left
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("INSERT INTO session (id, case_id, label) VALUES (7, 42, 'orphan')")
    with pytest.raises(WorkspaceError, match="broken references") as err:
        open_workspace(path)
    assert str(path) in str(err.value)
    with closing(sqlite3.connect(path)) as raw, raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert raw.execute("SELECT count(*) FROM annotation").fetchone() == (3,)


def test_a_workspace_from_a_newer_vfa_is_refused_untouched(tmp_path):
    path = tmp_path / "new.vfa"
    open_workspace(path, create=True).close()
    with closing(sqlite3.connect(path)) as raw, raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = _digest(path)
    with pytest.raises(NewerWorkspaceError) as err:
        open_workspace(path)
    assert str(path) in str(err.value)
    assert "newer version of VFA" in str(err.value)
    assert _digest(path) == before


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.vfa"
    path.write_text("these are my notes, not a database\n" * 100)
    before = _digest(path)
    with pytest.raises(WorkspaceError) as err:
        open_workspace(path)
    assert str(path) in str(err.value)
    assert _digest(path) == before


def test_another_applications_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as raw, raw:
        raw.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(WorkspaceError, match="not a VFA workspace"):
        open_workspace(path)


def _open_read_only(path: Path) -> tuple[str | None, list[str], str]:
    """Open ``path``: why it is read-only, its cases, and what a write attempt says."""
    ws = open_workspace(path)
    try:
        with ws.sessions() as db:
            cases = list(db.scalars(select(Case.code)).all())
        try:
            ws.writes.begin()
            refusal = "(no refusal)"
        except WorkspaceError as exc:
            refusal = str(exc)
        return ws.read_only, cases, refusal
    finally:
        ws.close()


def test_a_workspace_file_that_cannot_be_written_opens_read_only():
    """As an ordinary user ('nobody' when the suite runs as root, who can write anyway)."""
    with user_folder() as home:
        path = home / "ro.vfa"
        ws = open_workspace(path, create=True)
        with ws.writes.begin() as db:
            db.add(Case(code="FAM-1"))
        ws.close()
        assert _open_read_only(path)[0] is None  # writable by its owner (imports what it needs)
        hand_over(home)
        path.chmod(0o444)
        before = _digest(path)
        read_only, cases, refusal = as_user(home, lambda: _open_read_only(path))
        assert read_only is not None and "permission denied" in read_only
        assert cases == ["FAM-1"]  # still readable
        assert refusal.startswith(f"{path}: ") and "read-only" in refusal and read_only in refusal
        assert _digest(path) == before


def test_a_locked_workspace_gives_a_clear_message(tmp_path, monkeypatch):
    path = tmp_path / "locked.vfa"
    _workspace_at_first_revision(path)  # opening it must write (migrate), so it needs the lock
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(path, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Event()
    try:
        with pytest.raises(WorkspaceError) as err:
            open_workspace(path)
        assert str(path) in str(err.value)
        assert "locked" in str(err.value)
    finally:
        release.set()
        holder.rollback()
        holder.close()
    with closing(sqlite3.connect(path)) as raw, raw:  # the failed open changed nothing
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_a_folder_is_not_a_workspace(tmp_path):
    with pytest.raises(WorkspaceError, match="folder"):
        open_workspace(tmp_path)


def test_the_same_models_and_migrations_run_on_postgresql(pg_url):
    from sqlalchemy import create_engine

    url = pg_url
    eng = create_engine(url)
    with eng.begin() as conn:  # start from an empty database
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    eng.dispose()
    with pytest.raises(WorkspaceError, match="no VFA workspace"):
        open_workspace(url)  # an empty database is set up only when asked to
    ws = open_workspace(url, create=True)
    try:
        assert ws.path is None
        with ws.sessions.begin() as db:
            case = Case(code="TEAM-1")
            db.add(case)
            db.flush()
            db.add(Session(case_id=case.id, label="Visit 1"))
            db.add(Coder(name="Ann", role=Role.SUPERVISOR))
            db.add(
                Scheme(
                    scheme_key="kips",
                    version="1",
                    content_hash="h",
                    name="KIPS",
                    content={"items": 12},
                )
            )
        with ws.sessions() as db:
            assert db.scalar(select(Coder.role)) is Role.SUPERVISOR
            assert db.scalar(select(Scheme.content)) == {"items": 12}
    finally:
        ws.close()
    again = open_workspace(url)  # reopening a current schema does nothing
    assert again.backup_path is None
    again.close()


def test_the_migrations_build_exactly_the_models(tmp_path):
    """No drift between vfa/storage/models.py and the migration scripts."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from vfa.storage.models import Base

    ws = open_workspace(tmp_path / "drift.vfa", create=True)
    try:
        with ws.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, Base.metadata)
    finally:
        ws.close()
    assert diffs == []


def test_upgrading_to_content_hashes_keeps_every_clip_and_event(tmp_path):
    """0006: clips keep every stored fact and get an empty content hash (computed at their
    first verification)."""
    path = tmp_path / "old.vfa"
    _workspace_at_first_revision(path)
    eng = make_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with eng.connect() as conn:  # as VFA with schema 0005 left it
        # as VFA migrates (outside a transaction): 0002 rebuilds clip
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        conn.commit()
    eng.dispose()
    with closing(sqlite3.connect(path)) as raw:
        clip_before = raw.execute("SELECT * FROM clip").fetchall()
        annotations_before = raw.execute("SELECT * FROM annotation ORDER BY id").fetchall()
    ws = open_workspace(path)
    try:
        assert ws.backup_path is not None
        with ws.engine.connect() as conn:
            clip_after = conn.exec_driver_sql("SELECT * FROM clip").fetchall()
            names = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(clip)")]
            annotations_after = conn.exec_driver_sql(
                "SELECT * FROM annotation ORDER BY id"
            ).fetchall()
        hash_at = names.index("content_hash")
        assert [tuple(r[:hash_at]) + tuple(r[hash_at + 1 :]) for r in clip_after] == [
            tuple(r) for r in clip_before
        ]
        assert [r[hash_at] for r in clip_after] == [None]
        assert len(annotations_before) == 3
        width = len(annotations_before[0])  # later schemas add columns after these
        assert [tuple(r[:width]) for r in annotations_after] == [
            tuple(r) for r in annotations_before
        ]
    finally:
        ws.close()


def test_a_closed_workspace_refuses_reads_and_writes_and_its_file_is_untouched(tmp_path):
    path = tmp_path / "closed.vfa"
    ws = open_workspace(path, create=True)
    with ws.writes.begin() as db:
        db.add(Case(code="FAM-1"))
    ws.close()
    before = path.read_bytes()
    reading = ws.sessions()
    with pytest.raises(WorkspaceError, match=re.escape(f"{path}: the workspace was closed")):
        reading.scalars(select(Case)).all()
    with pytest.raises(WorkspaceError, match="was closed"), ws.writes.begin() as db:
        db.add(Case(code="FAM-2"))
    assert path.read_bytes() == before
    again = open_workspace(path)
    try:
        with again.sessions() as db:
            assert db.scalars(select(Case.code)).all() == ["FAM-1"]
    finally:
        again.close()


def _upgraded_to(path: Path, revision: str) -> Path:
    """A workspace made at the first revision and upgraded as VFA migrates (outside a
    transaction, foreign keys off: 0002 rebuilds clip) to ``revision``."""
    _workspace_at_first_revision(path)
    eng = make_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with eng.connect() as conn:
        conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()
    eng.dispose()
    return path


def test_upgrading_to_the_team_schema_keeps_every_row_at_version_one(tmp_path):
    """0007: events and ratings keep every stored fact; each starts at version 1, people
    have no login yet and old audit entries name no case."""
    path = _upgraded_to(tmp_path / "old.vfa", "0006")
    with closing(sqlite3.connect(path)) as raw:
        before = {
            table: raw.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("annotation", "coder", "session")
        }
    assert all(before.values())
    ws = open_workspace(path)
    try:
        with ws.engine.connect() as conn:
            for table, rows in before.items():
                after = conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                assert [tuple(r[: len(rows[0])]) for r in after] == [tuple(r) for r in rows]
            assert conn.exec_driver_sql("SELECT DISTINCT version FROM annotation").all() == [(1,)]
            assert conn.exec_driver_sql("SELECT DISTINCT reel_version FROM session").all() == [(1,)]
            assert conn.exec_driver_sql("SELECT login FROM coder").all() == [(None,)]
    finally:
        ws.close()


def test_upgrading_to_event_ids_never_hands_out_an_id_the_trail_remembers(tmp_path):
    """0008: events keep every stored fact, and the next event's id is above every event
    id the workspace used, including deleted ones the audit trail still names."""
    path = _upgraded_to(tmp_path / "old.vfa", "0007")
    with closing(sqlite3.connect(path)) as raw:
        newest = raw.execute("SELECT max(id) FROM annotation").fetchone()[0]
        # the newest event deleted, as 0007 did it: gone, and named by the trail; one
        # made and deleted before, that only the trail remembers
        raw.execute("DELETE FROM annotation WHERE id = ?", (newest,))
        for gone in (newest, newest + 3):
            raw.execute(
                "INSERT INTO audit_entry (at, actor, action, entity, entity_id, detail)"
                " VALUES ('2026-01-01 10:00:00', 'Ann', 'delete', 'annotation', ?, '{}')",
                (gone,),
            )
        raw.commit()
        kept = raw.execute("SELECT * FROM annotation ORDER BY id").fetchall()
    assert kept
    ws = open_workspace(path)
    try:
        with ws.engine.connect() as conn:
            after = conn.exec_driver_sql("SELECT * FROM annotation ORDER BY id").fetchall()
            assert [tuple(r) for r in after] == [tuple(r) for r in kept]
        with ws.writes.begin() as db:
            like = db.get(Annotation, kept[0][0])
            assert like is not None
            made = Annotation(
                run_id=like.run_id, code=like.code, start_ms=0, end_ms=0, start_frame=0,
                end_frame=0,
            )  # fmt: skip
            db.add(made)
            db.flush()
            assert made.id == newest + 4
    finally:
        ws.close()


def test_an_altered_trail_naming_an_id_near_the_top_leaves_ids_for_new_events(tmp_path):
    """0008: an event id in the audit trail that VFA could never have handed out (an
    altered file, near 2**63) does not start the counter there; new events still get an
    id above every real one the trail names."""
    path = _upgraded_to(tmp_path / "old.vfa", "0007")
    with closing(sqlite3.connect(path)) as raw:
        newest = raw.execute("SELECT max(id) FROM annotation").fetchone()[0]
        for named in (newest + 5, 2**63 - 1, 2**62):
            raw.execute(
                "INSERT INTO audit_entry (at, actor, action, entity, entity_id, detail)"
                " VALUES ('2026-01-01 10:00:00', 'Ann', 'delete', 'moment', ?, '{}')",
                (named,),
            )
        raw.commit()
    ws = open_workspace(path)
    try:
        with ws.writes.begin() as db:
            like = db.get(Annotation, newest)
            assert like is not None
            start = {"start_ms": 0, "end_ms": 0, "start_frame": 0, "end_frame": 0}
            made = [Annotation(run_id=like.run_id, code=like.code, **start) for _ in range(2)]
            db.add_all(made)
            db.flush()
            assert [m.id for m in made] == [newest + 6, newest + 7]
    finally:
        ws.close()


def test_upgrading_to_run_ids_never_hands_out_a_run_id_the_trail_remembers(tmp_path):
    """0009: runs keep every stored fact, and the next run's id is above every run id the
    trail names (as the run of an entry, or the record it is about); not above one VFA
    never handed out (an altered file)."""
    path = _upgraded_to(tmp_path / "old.vfa", "0008")
    with closing(sqlite3.connect(path)) as raw:
        kept = raw.execute("SELECT * FROM coding_run ORDER BY id").fetchall()
        newest = kept[-1][0]
        entry = (
            "INSERT INTO audit_entry (at, actor, action, entity, entity_id, detail, run_id)"
            " VALUES ('2026-01-01 10:00:00', 'Ann', ?, ?, ?, '{}', ?)"
        )
        raw.execute(entry, ("rate", "rating", 1, newest + 2))  # an entry in a run gone
        raw.execute(entry, ("delete", "coding_run", newest + 4, None))  # a run removed
        raw.execute(entry, ("delete", "coding_run", 2**63 - 1, 2**62))  # altered
        raw.commit()
    ws = open_workspace(path)
    try:
        with ws.engine.connect() as conn:
            after = conn.exec_driver_sql("SELECT * FROM coding_run ORDER BY id").fetchall()
            assert [tuple(r) for r in after] == [tuple(r) for r in kept]
        with ws.writes.begin() as db:
            like = db.get_one(CodingRun, newest)
            other = Coder(name="Someone new", role=Role.CODER)
            db.add(other)
            db.flush()
            made = CodingRun(clip_id=like.clip_id, scheme_id=like.scheme_id, coder_id=other.id)
            db.add(made)
            db.flush()
            assert made.id == newest + 5
    finally:
        ws.close()
