"""Whether the other workspace of a merge holds its rows as VFA writes them, before any of
it is read: a file changed with another tool (a value of the wrong kind, a reference to
a row that is not there) is refused naming the table, the row and the column, never the
value (it may be blind coding).

The checks follow the tables' columns (``vfa.storage.models``): each column's kind of
value, whether it may be empty, an enumeration's values, JSON that parses to an object
(all VFA writes), and, through SQLite's own ``foreign_key_check``, every reference.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Double,
    Enum,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    text,
)

from vfa.storage.models import Base

# what each kind of column may hold, as SQLite's typeof() names it
KINDS: list[tuple[type[Any], tuple[str, ...], str]] = [
    (Boolean, ("integer",), "a yes or no"),
    (Integer, ("integer",), "a whole number"),
    (Double, ("integer", "real"), "a number"),
    (Float, ("integer", "real"), "a number"),
    (LargeBinary, ("blob",), "binary data"),
    (DateTime, ("text",), "a time"),
    (Date, ("text",), "a day"),
    (JSON, ("text",), "JSON text"),
    (String, ("text",), "text"),
]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _kind(column: Any) -> tuple[tuple[str, ...], str] | None:
    for kind, storage, said in KINDS:
        if isinstance(column.type, kind):
            return storage, said
    return None


def _tests(table: Table, column: Any) -> list[tuple[str, str]]:
    """(SQL that is true for a wrong value, what the column should hold) for a column."""
    name = _q(column.name)
    tests: list[tuple[str, str]] = []
    if not column.nullable:
        tests.append((f"{name} IS NULL", "a value (it is empty)"))
    kind = _kind(column)
    if kind is None:
        return tests
    storage, said = kind
    allowed = ", ".join(f"'{s}'" for s in storage)
    tests.append((f"{name} IS NOT NULL AND typeof({name}) NOT IN ({allowed})", said))
    if isinstance(column.type, Boolean):
        tests.append((f"{name} IS NOT NULL AND {name} NOT IN (0, 1)", said))
    elif isinstance(column.type, Enum):
        values = ", ".join("'" + v.replace("'", "''") + "'" for v in column.type.enums)
        tests.append((f"{name} IS NOT NULL AND {name} NOT IN ({values})", f"one of {values}"))
    elif isinstance(column.type, DateTime):
        tests.append((f"typeof({name}) = 'text' AND datetime({name}) IS NULL", said))
    elif isinstance(column.type, Date):
        tests.append((f"typeof({name}) = 'text' AND date({name}) IS NULL", said))
    elif isinstance(column.type, JSON):
        tests.append(
            (
                f"typeof({name}) = 'text' AND (NOT json_valid({name}) "
                f"OR json_type({name}) NOT IN ('object', 'null'))",
                "a JSON object",
            )
        )
    return tests


def damage(conn: Connection) -> str | None:
    """The first value of a SQLite workspace not as VFA writes it, said as "table T, row
    N: column C should hold …" (None: every row is sound)."""
    for table in Base.metadata.sorted_tables:
        if table.name == "workspace_info":  # read and checked by its key (merge_read)
            continue
        for column in table.columns:
            for where, said in _tests(table, column):
                found = conn.execute(
                    text(f"SELECT rowid FROM {_q(table.name)} WHERE {where} LIMIT 1")
                ).first()
                if found is not None:
                    return f"table {table.name}, row {found[0]}: {column.name} should hold {said}"
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        child, rowid, parent = broken[0], broken[1], broken[2]
        return f"table {child}, row {rowid}: refers to a row of {parent} that is not there"
    return None
