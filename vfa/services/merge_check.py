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

from vfa.domain.scheme_types import Scheme
from vfa.domain.schemes import parse_scheme
from vfa.errors import NotFoundError, VfaError
from vfa.services.merge_content import RatingRow
from vfa.services.merge_read import Snapshot
from vfa.services.merge_report import coding_words
from vfa.services.rating_keys import GRID_SEP
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


def _scheme(row: dict[str, Any], label: str) -> Scheme | str:
    try:
        return parse_scheme(row["content"], f"{label}: scheme {row['scheme_key']}")
    except VfaError:
        return "the scheme's stored content is no scheme"


def _rating_fault(scheme: Scheme, rating: RatingRow) -> str | None:
    if GRID_SEP in rating.item:  # a grid's row: its points are checked as they are read
        return None
    try:
        item = scheme.item(rating.item)
    except NotFoundError:
        return "a rating of an item the scheme does not have"
    if rating.special is not None:
        if rating.special not in {s.code for s in item.special}:
            return "a rating with a code the item does not allow"
    elif rating.value is not None:
        value = rating.value
        if value != int(value) or not item.scale_min <= value <= item.scale_max:
            return "a rating outside the item's scale"
    return None


def _event_fault(scheme: Scheme, columns: dict[str, Any]) -> str | None:
    start, end = columns["start_ms"], columns["end_ms"]
    if start < 0 or (end is not None and end < start):
        return "an event whose times cannot be (before the start, or ending before it begins)"
    try:
        scheme.code(columns["code"])
    except NotFoundError:
        return "an event with a code the scheme does not have"
    return None


def nonsense(snapshot: Snapshot) -> str | None:
    """The first run of the other workspace whose coding its own scheme does not allow
    (an unknown item, code or scheme, a rating off the scale, an impossible time), said by
    the run's place and never its values; None when every run is as VFA would store it."""
    schemes: dict[int, Scheme | str] = {}
    for run_id, run in sorted(snapshot.runs.items()):
        scheme_id = run["scheme_id"]
        if scheme_id not in schemes:
            schemes[scheme_id] = _scheme(snapshot.schemes[scheme_id], snapshot.label)
        scheme = schemes[scheme_id]
        content = snapshot.contents.get(run_id)
        fault: str | None = None
        if isinstance(scheme, str):  # the scheme itself is no scheme
            fault = scheme
        elif content is not None:
            faults = [_rating_fault(scheme, r) for r in content.ratings.values()]
            faults += [_event_fault(scheme, e.columns) for e in content.events]
            fault = next((f for f in faults if f is not None), None)
        if fault is not None:
            coder = snapshot.coders[run["coder_id"]]["name"]
            coding = coding_words(
                snapshot.where(run["clip_id"]), coder, snapshot.schemes[scheme_id]
            )
            return f"{coding}: {fault}"
    return None
