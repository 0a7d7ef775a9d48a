"""What a merge reads: the whole of the other workspace (a laptop's, as a rule small), and
of this one only what the other's cases, clips and runs can meet.

Rows are plain dicts of column values (Core, no ORM objects). Each side also knows which
of its runs the blind rule hides from the person merging, so that nothing printed about
the merge depends on them (``vfa.services.blind``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, DateTime, Table, func, select
from sqlalchemy.orm import Session as DbSession

from vfa.domain.text_fields import matching_key
from vfa.services.blind import blind_view
from vfa.services.merge_content import RunContent, read_contents, utc
from vfa.storage.models import (
    AuditEntry,
    Case,
    Clip,
    Coder,
    CodingRun,
    ConsentRecord,
    ReliabilityCriterion,
    Scheme,
    Session,
    WorkspaceInfo,
)
from vfa.storage.workspace import Workspace

Row = dict[str, Any]
CHECKOUT_KEY = "checkout"  # workspace_info: where a checkout came from, and its bases
MERGED_PREFIX = "merged:"  # workspace_info: bases agreed with a checkout, by its id


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def rows_of(conn: Connection, model: Any, *where: Any) -> list[Row]:
    """Every row of a model's table (those matching ``where``) as dicts, by key; times
    as aware UTC."""
    query = select(_table(model))
    for clause in where:
        query = query.where(clause)
    result = conn.execute(query.order_by(*_table(model).primary_key))
    keys = list(result.keys())
    times = [n for n, c in enumerate(_table(model).columns) if isinstance(c.type, DateTime)]
    rows = []
    for found in result:
        values = list(found)
        for n in times:
            values[n] = utc(values[n])
        rows.append(dict(zip(keys, values, strict=True)))
    return rows


def clip_matches(a: Row, b: Row) -> bool:
    """The same video: by content hash when both have one, else by the sampled
    fingerprint and the size."""
    if a.get("content_hash") and b.get("content_hash"):
        return bool(a["content_hash"] == b["content_hash"])
    return bool(a["fingerprint"] == b["fingerprint"] and a["file_size"] == b["file_size"])


def scheme_key(row: Row) -> tuple[str, str, str]:
    """A stored scheme's identity: id, version and content hash."""
    return (row["scheme_key"], row["version"], row["content_hash"])


@dataclass
class Snapshot:
    """The other workspace, read whole."""

    label: str
    name: str
    info: dict[str, str]
    cases: dict[int, Row]
    sessions: dict[int, Row]
    clips: dict[int, Row]
    schemes: dict[int, Row]
    coders: dict[int, Row]
    runs: dict[int, Row]
    contents: dict[int, RunContent]
    consent: list[Row]
    criteria: list[Row]
    audit: list[Row]
    hidden: set[int]  # runs whose content the person merging may not see
    # runs left out: hidden, on a team workspace whose server gave none of their content
    withheld: int = 0
    annotation_runs: dict[int, int] = field(default_factory=dict)  # event id -> run id

    def checkout(self) -> Any:
        """The checkout record (JSON) when this workspace is a checkout, else None."""
        text = self.info.get(CHECKOUT_KEY)
        return None if text is None else json.loads(text)

    def where(self, clip_id: int) -> tuple[str, str, str]:
        """A clip's case code, session label and file name, for messages."""
        clip = self.clips[clip_id]
        session = self.sessions[clip["session_id"]]
        name = str(clip["path"]).replace("\\", "/").rsplit("/", 1)[-1]
        return self.cases[session["case_id"]]["code"], session["label"], name


def read_snapshot(
    ws: Workspace, viewer: str, step: Callable[[float], None] | None = None
) -> Snapshot:
    """Everything a merge takes from ``ws``, and which runs are hidden from ``viewer``."""
    with ws.sessions() as db:
        conn = db.connection()
        info = {r["key"]: r["value"] for r in rows_of(conn, WorkspaceInfo)}
        runs = {r["id"]: r for r in rows_of(conn, CodingRun)}
        coders = {r["id"]: r for r in rows_of(conn, Coder)}
        if step is not None:
            step(0.1)
        contents = read_contents(conn, {i: r["status"] for i, r in runs.items()})
        if step is not None:
            step(0.6)
        view = blind_view(db, viewer)
        hidden = {
            i for i, r in runs.items() if view.hides(i, r["clip_id"], coders[r["coder_id"]]["name"])
        }
        withheld = hidden if ws.person is not None else set()
        if withheld:  # a team server gave none of their content: they are left out
            runs = {i: r for i, r in runs.items() if i not in withheld}
            contents = {i: c for i, c in contents.items() if i not in withheld}
        snap = Snapshot(
            label=ws.label,
            name=ws.name,
            info=info,
            cases={r["id"]: r for r in rows_of(conn, Case)},
            sessions={r["id"]: r for r in rows_of(conn, Session)},
            clips={r["id"]: r for r in rows_of(conn, Clip)},
            schemes={r["id"]: r for r in rows_of(conn, Scheme)},
            coders=coders,
            runs=runs,
            contents=contents,
            consent=rows_of(conn, ConsentRecord),
            criteria=rows_of(conn, ReliabilityCriterion),
            audit=rows_of(conn, AuditEntry),
            hidden=hidden,
            withheld=len(withheld),
        )
    snap.annotation_runs = {e.id: i for i, c in contents.items() for e in c.events}
    if step is not None:
        step(1.0)
    return snap


@dataclass
class Here:
    """This workspace, as far as the other's content reaches into it."""

    managed: bool
    info: dict[str, str]
    cases: dict[str, list[Row]]  # lower-case code -> cases (several spellings, rarely)
    sessions: dict[int, list[Row]]  # case id -> its sessions
    clips: dict[int, list[Row]]  # session id -> its clips (no frame tables)
    schemes: dict[tuple[str, str, str], int]
    coders: dict[str, int]
    criteria: dict[str, Row]


def read_here(db: DbSession, codes: Iterable[str]) -> Here:
    """The cases of these codes (any capitals), their sessions and clips, and the
    workspace's schemes, people and criteria."""
    from vfa.services.people import is_managed

    conn = db.connection()
    lowered = sorted({c.lower() for c in codes})
    cases: dict[str, list[Row]] = {}
    for part in range(0, len(lowered), 500):
        for row in rows_of(conn, Case, func.lower(Case.code).in_(lowered[part : part + 500])):
            cases.setdefault(row["code"].lower(), []).append(row)
    case_ids = [r["id"] for found in cases.values() for r in found]
    sessions: dict[int, list[Row]] = {}
    for row in rows_of(conn, Session, Session.case_id.in_(case_ids)) if case_ids else []:
        sessions.setdefault(row["case_id"], []).append(row)
    session_ids = [r["id"] for found in sessions.values() for r in found]
    clips: dict[int, list[Row]] = {}
    wanted = [c for c in _table(Clip).columns if c.name != "frame_table"]
    if session_ids:
        query = select(*wanted).where(Clip.session_id.in_(session_ids)).order_by(Clip.id)
        for found in conn.execute(query).mappings():
            clips.setdefault(found["session_id"], []).append(dict(found))
    schemes = {scheme_key(r): r["id"] for r in rows_of(conn, Scheme)}
    return Here(
        managed=is_managed(db),
        info={r["key"]: r["value"] for r in rows_of(conn, WorkspaceInfo)},
        cases=cases,
        sessions=sessions,
        clips=clips,
        schemes=schemes,
        coders={r["name"]: r["id"] for r in rows_of(conn, Coder)},
        criteria={r["scheme_key"]: r for r in rows_of(conn, ReliabilityCriterion)},
    )


def find_session(sessions: list[Row], label: str) -> Row | None:
    """The session of this label in any capitals and spacing (the exact one first)."""
    key = matching_key(label)
    found = [s for s in sessions if matching_key(s["label"]) == key]
    exact = [s for s in found if s["label"] == label]
    return (exact or found)[0] if found else None


def runs_on(conn: Connection, clip_ids: list[int]) -> list[Row]:
    """Every run on these clips, with its coder's name and its scheme's identity."""
    out: list[Row] = []
    r, s, c = CodingRun, Scheme, Coder
    for part in range(0, len(clip_ids), 500):
        query = (
            select(_table(r), c.name.label("coder"), s.scheme_key, s.version, s.content_hash)
            .join(c, c.id == r.coder_id)
            .join(s, s.id == r.scheme_id)
            .where(r.clip_id.in_(clip_ids[part : part + 500]))
        )
        out += [dict(row) for row in conn.execute(query).mappings()]
    return out


def consent_on(conn: Connection, clip_ids: list[int]) -> dict[int, list[Row]]:
    """The consent records of these clips, oldest first, by clip."""
    out: dict[int, list[Row]] = {}
    for part in range(0, len(clip_ids), 500):
        for row in rows_of(
            conn, ConsentRecord, ConsentRecord.clip_id.in_(clip_ids[part : part + 500])
        ):
            out.setdefault(row["clip_id"], []).append(row)
    return out


def audit_since(conn: Connection, earliest: Any) -> list[Row]:
    """This workspace's audit entries made at or after ``earliest``."""
    return rows_of(conn, AuditEntry, AuditEntry.at >= earliest)
