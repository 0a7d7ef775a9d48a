"""Every new workspace file of a test session starts as a copy of one the migrations made.

Making a workspace from nothing runs every migration (about 90 ms, and a heap of cyclic
garbage), and the suite makes hundreds. In the pytest process, ``open_workspace(create=
True)`` on an empty SQLite file still runs all of its own steps, but the migrations' step
(``vfa.storage.workspace._upgrade``) copies, with SQLite's backup API, the file that the
real migrations made from nothing on the session's first such call: the same schema, the
same rows, byte for byte what they write. Upgrades of older workspaces, PostgreSQL, the
tests of the storage layer (tests/storage: they watch the migrations themselves) and every
``vfa`` process a test starts run the migrations as always.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine, inspect

Upgrade = Callable[[Engine, str], None]


class MigratedOnce:
    def __init__(self, folder: Path, real: Upgrade) -> None:
        self._template = folder / "migrated-from-nothing.vfa"
        self._real = real
        self.on = True
        self.copies = 0  # new workspaces made from the template
        self._making = threading.Lock()

    def upgrade(self, engine: Engine, where: str) -> None:
        """``_upgrade`` in this session: an empty SQLite file gets the template's content."""
        if not self.on or engine.dialect.name != "sqlite" or not _empty(engine):
            self._real(engine, where)
            return
        with self._making:  # (a worker's thread may make a workspace too)
            if not self._template.exists():
                self._make_template()
        with engine.connect() as conn, closing(sqlite3.connect(self._template)) as source:
            source.backup(conn.connection.driver_connection)
        self.copies += 1

    def _make_template(self) -> None:
        """The migrations from nothing, into a file that takes the template's name only
        once they are done (one that failed leaves no template behind)."""
        from vfa.storage.engine import make_engine, sqlite_url

        making = self._template.with_name(f"making-{uuid.uuid4().hex}.vfa")
        engine = make_engine(sqlite_url(making), label=str(making))
        try:
            self._real(engine, str(making))
        finally:
            engine.dispose()
        os.replace(making, self._template)

    @contextmanager
    def off(self) -> Iterator[None]:
        """The real migrations while the block runs."""
        was, self.on = self.on, False
        try:
            yield
        finally:
            self.on = was


def _empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not inspect(conn).get_table_names()
