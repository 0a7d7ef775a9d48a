"""A workspace the suite makes from the migrations' copy (tests/migrated_once.py) is the
workspace the migrations make: the same schema and the same rows."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from vfa.storage.workspace import open_workspace


def definition(sql: str | None) -> tuple[list[str], list[str]] | None:
    """A CREATE statement's parts in order, its named constraints in any order (a table
    rebuilt by a migration lists them in an order that changes from run to run)."""
    if sql is None:
        return None
    body = sql.rstrip()
    body = body.removesuffix("\n)")  # the table's closing parenthesis, on its own line
    parts = [p.strip() for p in body.split(", \n")]
    return [p for p in parts if not p.startswith("CONSTRAINT")], sorted(
        p for p in parts if p.startswith("CONSTRAINT")
    )


def content(path: Path) -> tuple[list, dict[str, list]]:
    with closing(sqlite3.connect(path)) as raw:
        schema = [
            (kind, name, table, definition(sql))
            for kind, name, table, sql in raw.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
            )
        ]
        rows = {
            name: sorted(map(repr, raw.execute(f'SELECT * FROM "{name}"')))
            for (kind, name, _, _) in schema
            if kind == "table"
        }
        pragmas = [raw.execute(f"PRAGMA {p}").fetchone() for p in ("user_version", "page_size")]
    return schema + pragmas, rows


def test_a_copied_workspace_is_the_one_the_migrations_make(tmp_path, migrations_once):
    copied, migrated = tmp_path / "copied.vfa", tmp_path / "migrated.vfa"
    copies = migrations_once.copies
    open_workspace(copied, create=True, name="same").close()
    assert migrations_once.copies == copies + 1  # (this one was copied)
    with migrations_once.off():
        open_workspace(migrated, create=True, name="same").close()
    assert migrations_once.copies == copies + 1  # (and that one was not)
    assert content(copied) == content(migrated)
