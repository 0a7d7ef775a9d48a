"""What an export takes: a selection of runs as the person exporting may see them.

A :class:`Selection` names a clip, a session or a case (else everything), one coder and
one scheme, and who is exporting. Runs the blind rule hides from that person are left
out, and the result says which and why (``ExportResult.left_out``). Events are read
with Core queries, run by run, in batches: a million events never become objects.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Text, func, select, type_coerce
from sqlalchemy.orm import Session as DbSession

from vfa.errors import InvalidInputError, NotFoundError
from vfa.io.document import MediaRef
from vfa.services.assignments import BlindError, check_may_view
from vfa.services.clips import find_case
from vfa.services.viewer import resolve
from vfa.storage.models import Annotation, Case, Clip, Coder, CodingRun, Rating, Session
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.workspace import Workspace

ProgressFn = Callable[[float], None]
CancelledFn = Callable[[], bool]


class ExportError(InvalidInputError):
    """An export cannot be written where or as asked."""


class ExportCancelled(ExportError):
    """The person exporting stopped it; nothing was written."""


@dataclass(frozen=True)
class Selection:
    """What to export: one clip, session or case (else everything), one coder, one scheme,
    as seen by ``viewer`` (the person exporting; None: the login name)."""

    clip_id: int | None = None
    session_id: int | None = None
    case: str | None = None
    coder: str | None = None
    scheme: str | None = None
    viewer: str | None = None

    @property
    def everything(self) -> bool:
        """The whole workspace, every coder and scheme."""
        return (self.clip_id, self.session_id, self.case, self.coder, self.scheme) == (None,) * 5

    def who(self) -> str:
        """The person exporting."""
        return resolve(self.viewer)


@dataclass(frozen=True)
class RunRow:
    """A run as exports need it: where it is, whose, with which scheme."""

    run_id: int
    clip_id: int
    case: str
    session_id: int
    session: str
    session_date: str | None
    clip_path: str
    coder: str
    scheme_row: int
    scheme: str
    scheme_version: str
    status: str
    blind: bool

    @property
    def clip_file(self) -> str:
        return MediaRef(self.clip_path).name

    @property
    def label(self) -> str:
        """``case / session / file / coder / scheme``, the observation name."""
        return " / ".join((self.case, self.session, self.clip_file, self.coder, self.scheme))


@dataclass
class ExportResult:
    """What an export wrote and what it left out."""

    format: str
    what: str
    runs: int = 0
    rows: int = 0
    left_out: list[str] = field(default_factory=list)
    path: Path | None = None


# -- selection -----------------------------------------------------------------------------


def _check_scope(db: DbSession, sel: Selection) -> int | None:
    """Refuse a clip, session or case that is not there; the case id when one is named."""
    given = [x for x in (sel.clip_id, sel.session_id, sel.case) if x is not None]
    if len(given) > 1:
        raise InvalidInputError("export: choose one of a clip, a session or a case (or all)")
    if sel.clip_id is not None and db.get(Clip, sel.clip_id) is None:
        raise NotFoundError(f"clip {sel.clip_id}: no such clip")
    if sel.session_id is not None and db.get(Session, sel.session_id) is None:
        raise NotFoundError(f"session {sel.session_id}: no such session")
    if sel.case is not None:
        case = find_case(db, sel.case.strip())
        if case is None:
            raise NotFoundError(f"case {sel.case}: no such case")
        return case.id
    return None


def _in_scope(query: Any, sel: Selection, case_id: int | None) -> Any:
    """The query (joined to clips, sessions and cases) kept to the selection's scope."""
    if sel.clip_id is not None:
        query = query.where(Clip.id == sel.clip_id)
    if sel.session_id is not None:
        query = query.where(Session.id == sel.session_id)
    if case_id is not None:
        query = query.where(Case.id == case_id)
    return query


def selected_clips(db: DbSession, sel: Selection) -> list[int]:
    """The clips in the selection's scope, in catalogue order."""
    case_id = _check_scope(db, sel)
    query = (
        select(Clip.id)
        .join(Session, Session.id == Clip.session_id)
        .join(Case, Case.id == Session.case_id)
        .order_by(Case.code, Session.id, Clip.id)
    )
    return list(db.scalars(_in_scope(query, sel, case_id)))


def _hidden(db: DbSession, run: RunRow, viewer: str) -> str | None:
    """Why the blind rule hides the run from the viewer, or None (the one place it is
    asked, through ``vfa.services.assignments``)."""
    try:
        check_may_view(db, run.clip_id, run.scheme, run.coder, viewer)
    except BlindError as exc:
        return str(exc)
    return None


def selected_runs(ws: Workspace, sel: Selection) -> tuple[list[RunRow], list[str]]:
    """The runs the selection names that the viewer may see, and why others were left out."""
    with ws.sessions() as db:
        case_id = _check_scope(db, sel)
        query = (
            select(
                CodingRun.id,
                CodingRun.clip_id,
                Case.code,
                Session.id,
                Session.label,
                Session.date,
                Clip.path,
                Coder.name,
                SchemeRow.id,
                SchemeRow.scheme_key,
                SchemeRow.version,
                CodingRun.status,
                CodingRun.blind,
            )
            .join(Clip, Clip.id == CodingRun.clip_id)
            .join(Session, Session.id == Clip.session_id)
            .join(Case, Case.id == Session.case_id)
            .join(Coder, Coder.id == CodingRun.coder_id)
            .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
            .order_by(
                Case.code, Session.id, Clip.id, Coder.name, SchemeRow.scheme_key, CodingRun.id
            )
        )
        query = _in_scope(query, sel, case_id)
        if sel.coder is not None:
            query = query.where(Coder.name == sel.coder.strip())
        if sel.scheme is not None:
            query = query.where(SchemeRow.scheme_key == sel.scheme.strip())
        viewer = sel.who()
        shown: list[RunRow] = []
        left_out: list[str] = []
        hidden: dict[tuple[int, str, str], str | None] = {}  # (clip, scheme, coder)
        for row in db.execute(query).all():
            run = RunRow(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                row[5].isoformat() if row[5] is not None else None,
                row[6],
                row[7],
                row[8],
                row[9],
                row[10],
                str(row[11].value if hasattr(row[11], "value") else row[11]),
                bool(row[12]),
            )
            key = (run.clip_id, run.scheme, run.coder)
            if key not in hidden:
                hidden[key] = _hidden(db, run, viewer)
            reason = hidden[key]
            if reason is None:
                shown.append(run)
            else:
                left_out.append(f"run {run.run_id} ({run.label}) is left out: {reason}")
    return shown, left_out


def export_choices(ws: Workspace) -> tuple[list[str], list[str]]:
    """The coders' names and the scheme ids stored in the workspace, sorted: what an
    export can be narrowed to."""
    with ws.sessions() as db:
        coders = list(db.scalars(select(Coder.name).order_by(Coder.name)))
        schemes = list(
            db.scalars(select(SchemeRow.scheme_key).distinct().order_by(SchemeRow.scheme_key))
        )
    return coders, schemes


def scheme_contents(ws: Workspace, rows: set[int]) -> dict[int, dict[str, Any]]:
    """The stored content of these scheme rows."""
    if not rows:
        return {}
    with ws.sessions() as db:
        found = db.execute(select(SchemeRow.id, SchemeRow.content).where(SchemeRow.id.in_(rows)))
        return {id_: content for id_, content in found}


def names_in(content: dict[str, Any], part: str) -> dict[str, str]:
    """id -> name of a scheme's event codes (``codes``) or rating items (``items``)."""
    out: dict[str, str] = {}
    if part == "codes":
        codes = (content.get("ethogram") or {}).get("codes", [])
        out.update({c["id"]: c.get("name", c["id"]) for c in codes if "id" in c})
        return out
    items = (content.get("ratings") or {}).get("items", [])
    out.update({i["id"]: i.get("name", i["id"]) for i in items if "id" in i})
    for grid in content.get("grids", []):
        rows = {r["id"]: r.get("name", r["id"]) for r in grid.get("rows", [])}
        for member in grid.get("members", []):
            for scale in member.get("scales", []):
                for row_id, row_name in rows.items():
                    key = "/".join((grid["id"], row_id, member["id"], scale["id"]))
                    out[key] = " / ".join(
                        (grid.get("name", grid["id"]), row_name, member.get("name", ""),
                         scale.get("name", scale["id"]))
                    )  # fmt: skip
    return out


def event_counts(ws: Workspace, run_ids: list[int]) -> dict[int, int]:
    """How many events each run has (for progress)."""
    if not run_ids:
        return {}
    with ws.sessions() as db:
        rows = db.execute(
            select(Annotation.run_id, func.count())
            .where(Annotation.run_id.in_(run_ids))
            .group_by(Annotation.run_id)
        )
        return {run: n for run, n in rows}


class _Progress:
    def __init__(self, total: int, progress: ProgressFn | None, cancelled: CancelledFn | None):
        self.total, self.done = max(total, 1), 0
        self.progress, self.cancelled = progress, cancelled

    def step(self, n: int) -> None:
        self.done += n
        if self.cancelled is not None and self.cancelled():
            raise ExportCancelled("export: cancelled; nothing was written")
        if self.progress is not None:
            self.progress(min(1.0, self.done / self.total))


def rating_query(run_id: int, *more: Any) -> Any:
    """A run's ratings by item: item, value, special code and note (then ``more`` columns)."""
    r = Rating
    return (
        select(r.item, r.value, r.special, r.note, *more).where(r.run_id == run_id).order_by(r.item)
    )


def event_query(run_id: int) -> Any:
    """A run's events in time order, modifiers as stored text (no JSON decoding)."""
    a = Annotation
    return (
        select(
            a.code,
            a.subject,
            a.start_ms,
            a.end_ms,
            a.start_frame,
            a.end_frame,
            type_coerce(a.modifiers, Text),
            a.caption,
        )
        .where(a.run_id == run_id)
        .order_by(a.start_ms, a.id)
    )


def modifiers_of(stored: Any) -> dict[str, Any]:
    """A modifiers column as a dict, whether the driver gave text or a decoded value."""
    if stored is None or stored == "{}":
        return {}
    if isinstance(stored, str):
        value = json.loads(stored)
        return value if isinstance(value, dict) else {}
    return dict(stored)


BATCH = 5000


def batches(conn: Connection, query: Any) -> Iterator[Sequence[Any]]:
    """A Core query's rows, a batch at a time, streamed (never all in memory).

    On SQLite the compiled statement runs on the driver's cursor, whose plain tuples
    cost a third less than result rows (a million events); elsewhere the result is
    streamed in partitions. Only for queries whose columns need no result processing
    (numbers, text, JSON read as text).
    """
    if conn.dialect.name != "sqlite":
        yield from conn.execution_options(yield_per=BATCH).execute(query).partitions()
        return
    compiled = query.compile(dialect=conn.dialect)
    values = compiled.construct_params()
    params = tuple(values[k] for k in compiled.positiontup or ())
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), params)
        while part := cursor.fetchmany(BATCH):
            yield part
    finally:
        cursor.close()


def stream_events(conn: Connection, run_id: int) -> Iterator[Any]:
    """The rows of :func:`event_query`, one by one."""
    for part in batches(conn, event_query(run_id)):
        yield from part
