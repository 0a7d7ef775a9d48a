"""A workspace as VFA's JSON (``vfa.io.vfa_json`` describes the shape).

``write_workspace_json`` streams a selection (or everything) run by run: events are
written as they are read, one line each. Records refer to each other by natural keys and
a rating's evidence by ``[run ref, event index]``, so restoring the file into an empty
workspace (``vfa.services.workspace_restore``) and exporting again gives the same file.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from sqlalchemy import Connection, Text, func, literal, select, type_coerce
from sqlalchemy.orm import Session as DbSession

from vfa.io import vfa_json
from vfa.io.document import MediaRef
from vfa.services.export_selection import (
    CancelledFn,
    ExportResult,
    ProgressFn,
    RunRow,
    Selection,
    _Progress,
    batches,
    event_counts,
    modifiers_of,
    rating_query,
    selected_clips,
    selected_runs,
)
from vfa.services.workspace_restore import CLIP_FIELDS
from vfa.storage.models import (
    Annotation,
    Case,
    Clip,
    Coder,
    CodingRun,
    ConsentRecord,
    Moment,
    Rating,
    ReliabilityCriterion,
    Scheme,
    Session,
)
from vfa.storage.workspace import Workspace


def stamp(value: Any) -> str | None:
    """A stored date-time as ISO text in UTC without an offset (as SQLite keeps it)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace(" ", "T", 1)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return str(value.isoformat(sep="T", timespec="microseconds"))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- export ------------------------------------------------------------------------------------


class _Writer:
    """Nested lists written as they come: one item a line, the fields before the list."""

    def __init__(self, raw: BinaryIO) -> None:
        self.out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        self.counts: list[int] = []

    def item(self, text: str) -> None:
        """One item of the list open now."""
        self.out.write((",\n" if self.counts[-1] else "\n") + text)
        self.counts[-1] += 1

    def many(self, texts: list[str]) -> None:
        """Items of the list open now, in one write."""
        if texts:
            self.out.write((",\n" if self.counts[-1] else "\n") + ",\n".join(texts))
            self.counts[-1] += len(texts)

    def open(self, obj: dict[str, Any], child: str) -> None:
        """An item whose last field is the list ``child``, left open for its items."""
        head = _dumps(obj)
        self.item((head[:-1] + ", " if obj else "{") + f'"{child}": [')
        self.counts.append(0)

    def next_list(self, child: str) -> None:
        """End the open list and open the item's next field, the list ``child``."""
        n = self.counts.pop()
        self.out.write(("\n" if n else "") + f'], "{child}": [')
        self.counts.append(0)

    def close(self) -> None:
        """End the open list and the item that holds it."""
        n = self.counts.pop()
        self.out.write(("\n" if n else "") + "]}")


def _evidence_refs(
    db: DbSession, runs: list[RunRow], refs: dict[int, int]
) -> dict[int, tuple[int, int]]:
    """annotation id -> (run ref, index in its run) for every annotation a rating of the
    exported runs points at, when that annotation's run is exported too."""
    wanted: set[int] = set()
    for (evidence,) in db.execute(
        select(Rating.evidence).where(Rating.run_id.in_([r.run_id for r in runs]))
    ):
        wanted.update(a for a in (evidence or {}).get("annotations", []) if isinstance(a, int))
    out: dict[int, tuple[int, int]] = {}
    for ann_id in sorted(wanted):
        row = db.execute(
            select(Annotation.run_id, Annotation.start_ms).where(Annotation.id == ann_id)
        ).first()
        if row is None or row[0] not in refs:
            continue
        run_id, start = row
        index = db.scalar(
            select(func.count())
            .select_from(Annotation)
            .where(
                Annotation.run_id == run_id,
                (Annotation.start_ms < start)
                | ((Annotation.start_ms == start) & (Annotation.id < ann_id)),
            )
        )
        out[ann_id] = (refs[run_id], int(index or 0))
    return out


def _event_query(run_id: int) -> Any:
    a = Annotation
    return (
        select(
            a.code, a.subject, a.start_ms, a.end_ms, a.start_frame, a.end_frame,
            type_coerce(a.modifiers, Text), a.caption, type_coerce(a.created_at, Text), a.id,
        )
        .where(a.run_id == run_id)
        .order_by(a.start_ms, a.id)
    )  # fmt: skip


def _sqlite_event_query(run_id: int) -> Any:
    """:func:`_event_query` with each event's JSON made by SQLite (json_object, in C): the
    same text the Python path writes, at a fraction of the cost for a million events."""
    a = Annotation
    made = func.replace(type_coerce(a.created_at, Text), " ", "T")
    fields = (
        ("code", a.code), ("subject", a.subject), ("start_ms", a.start_ms),
        ("end_ms", a.end_ms), ("start_frame", a.start_frame), ("end_frame", a.end_frame),
        ("modifiers", func.json(type_coerce(a.modifiers, Text))), ("caption", a.caption),
        ("created_at", made),
    )  # fmt: skip
    args = [x for name, column in fields for x in (literal(name), column)]
    return (
        select(func.json_object(*args), a.id).where(a.run_id == run_id).order_by(a.start_ms, a.id)
    )


def _moments(conn: Connection, run_id: int) -> dict[int, str]:
    """annotation id -> the JSON of its moment details, for the run's moments."""
    m = Moment
    rows = conn.execute(
        select(
            m.annotation_id, m.key_ms, m.key_frame, m.tags, m.child_line, m.comment, m.feedback,
            m.reel_position,
        )
        .join(Annotation, Annotation.id == m.annotation_id)
        .where(Annotation.run_id == run_id)
    )  # fmt: skip
    return {
        row[0]: _compact(
            {
                "key_ms": row[1],
                "key_frame": row[2],
                "tags": dict(row[3] or {}),
                "child_line": row[4],
                "comment": row[5],
                "feedback": bool(row[6]),
                "reel_position": row[7],
            }
        )
        for row in rows
    }


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _event_lines(conn: Connection, run_id: int) -> Iterator[list[tuple[str, int]]]:
    """Batches of (event JSON without its moment, annotation id), in time order."""
    if conn.dialect.name == "sqlite":
        yield from batches(conn, _sqlite_event_query(run_id))  # type: ignore[misc]
        return
    for part in batches(conn, _event_query(run_id)):
        lines = []
        for code, subject, start, end, sf, ef, mods, caption, made, ann_id in part:
            fields = {
                "code": code,
                "subject": subject,
                "start_ms": start,
                "end_ms": end,
                "start_frame": sf,
                "end_frame": ef,
                "modifiers": modifiers_of(mods),
                "caption": caption,
                "created_at": stamp(made),
            }
            lines.append((_compact(fields), ann_id))
        yield lines


def _write_events(conn: Connection, run_id: int, w: _Writer, meter: _Progress) -> int:
    """Write a run's events, one per line, a batch at a time; returns how many."""
    moments = _moments(conn, run_id)
    n = 0
    for part in _event_lines(conn, run_id):
        if moments:
            lines = [
                text if ann_id not in moments else f'{text[:-1]},"moment":{moments[ann_id]}}}'
                for text, ann_id in part
            ]
        else:
            lines = [text for text, _ann_id in part]
        w.many(lines)
        n += len(lines)
        meter.step(len(lines))
    return n


def _ratings(
    db: DbSession, run_id: int, evidence_at: dict[int, tuple[int, int]]
) -> list[dict[str, Any]]:
    out = []
    rows = db.execute(rating_query(run_id, Rating.evidence))
    for item, value, special, note, evidence in rows:
        evidence = dict(evidence or {})
        if "annotations" in evidence:
            evidence["annotations"] = [
                list(evidence_at[a]) for a in evidence["annotations"] if a in evidence_at
            ]
        out.append(
            {"item": item, "value": value, "special": special, "note": note, "evidence": evidence}
        )
    return out


def write_workspace_json(
    ws: Workspace,
    sel: Selection,
    raw: BinaryIO,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ExportResult:
    """Write the selection (``Selection()``: the whole workspace) as VFA's JSON."""
    runs, left_out = selected_runs(ws, sel)
    result = ExportResult("json", "events", len(runs), 0, left_out)
    refs = {r.run_id: n for n, r in enumerate(runs, start=1)}  # in file order
    by_clip: dict[int, list[RunRow]] = {}
    for run in runs:
        by_clip.setdefault(run.clip_id, []).append(run)
    meter = _Progress(sum(event_counts(ws, list(refs)).values()), progress, cancelled)
    w = _Writer(raw)
    with ws.sessions() as db:
        clip_ids = selected_clips(db, sel)
        if sel.coder is not None or sel.scheme is not None:
            clip_ids = [c for c in clip_ids if c in by_clip]
        evidence_at = _evidence_refs(db, runs, refs)
        head = {
            "format": vfa_json.KIND,
            "version": vfa_json.VERSION,
            "selection": {
                "clip": sel.clip_id,
                "session": sel.session_id,
                "case": sel.case,
                "coder": sel.coder,
                "scheme": sel.scheme,
            },
            "left_out": left_out,
        }
        w.out.write(_dumps(head)[:-1])
        for name, items in _header_lists(db, sel, runs).items():
            w.out.write(f', "{name}": [')
            w.counts.append(0)
            for item in items:
                w.item(_dumps(item))
            w.out.write("\n]" if w.counts.pop() else "]")
        w.out.write(', "cases": [')
        w.counts.append(0)
        with ws.engine.connect() as conn:
            for case, sessions in _tree(db, clip_ids):
                w.open({"code": case.code, "created_at": stamp(case.created_at)}, "sessions")
                for session, clips in sessions:
                    w.open(
                        {
                            "label": session.label,
                            "date": session.date.isoformat() if session.date else None,
                            "context": session.context,
                            "cycle": session.cycle,
                            "theme": session.theme,
                        },
                        "clips",
                    )
                    for clip in clips:
                        result.rows += _write_clip(
                            db, conn, w, clip, by_clip.get(clip.id, []), refs, evidence_at, meter
                        )
                    w.close()
                w.close()
        w.out.write("\n]}\n" if w.counts.pop() else "]}\n")
    w.out.flush()
    w.out.detach()
    return result


def _header_lists(db: DbSession, sel: Selection, runs: list[RunRow]) -> dict[str, list[Any]]:
    """The schemes, coders and criteria: all of them for the whole workspace, else those
    the exported runs use."""
    used = {r.scheme_row for r in runs}
    names = {r.coder for r in runs}
    keys = {r.scheme for r in runs}
    schemes = [
        {
            "id": s.scheme_key,
            "version": s.version,
            "content_hash": s.content_hash,
            "name": s.name,
            "content": s.content,
        }
        for s in db.scalars(select(Scheme).order_by(Scheme.id))
        if sel.everything or s.id in used
    ]
    coders = [
        {"name": name, "role": getattr(role, "value", role)}
        for name, role in db.execute(select(Coder.name, Coder.role).order_by(Coder.name))
        if sel.everything or name in names
    ]
    criteria = [
        {
            "scheme": c.scheme_key,
            "statistic": c.statistic,
            "threshold": c.threshold,
            "window": c.window,
            "item": c.item,
            "updated_by": c.updated_by,
            "updated_at": stamp(c.updated_at),
        }
        for c in db.scalars(select(ReliabilityCriterion).order_by(ReliabilityCriterion.scheme_key))
        if sel.everything or c.scheme_key in keys
    ]
    return {"schemes": schemes, "coders": coders, "criteria": criteria}


Tree = list[tuple[Case, list[tuple[Session, list[Clip]]]]]


def _tree(db: DbSession, clip_ids: list[int]) -> Tree:
    """The clips (in the given order) under their sessions and cases."""
    clips = {c.id: c for c in db.scalars(select(Clip).where(Clip.id.in_(clip_ids)))}
    wanted = {c.session_id for c in clips.values()}
    sessions = {s.id: s for s in db.scalars(select(Session).where(Session.id.in_(wanted)))}
    owners = {s.case_id for s in sessions.values()}
    cases = {c.id: c for c in db.scalars(select(Case).where(Case.id.in_(owners)))}
    tree: dict[int, dict[int, list[Clip]]] = {}
    for clip_id in clip_ids:
        clip = clips[clip_id]
        session = sessions[clip.session_id]
        tree.setdefault(session.case_id, {}).setdefault(session.id, []).append(clip)
    return [
        (cases[case_id], [(sessions[s], found) for s, found in by_session.items()])
        for case_id, by_session in tree.items()
    ]


def _write_clip(
    db: DbSession,
    conn: Connection,
    w: _Writer,
    clip: Clip,
    runs: list[RunRow],
    refs: dict[int, int],
    evidence_at: dict[int, tuple[int, int]],
    meter: _Progress,
) -> int:
    fields: dict[str, Any] = {"file": MediaRef(clip.path).name}
    fields.update({name: getattr(clip, name) for name in CLIP_FIELDS})
    fields["frame_table"] = base64.b64encode(clip.frame_table).decode("ascii")
    fields["added_at"] = stamp(clip.added_at)
    fields["consent"] = [
        {
            "purposes": c.purposes,
            "given_on": c.given_on.isoformat() if c.given_on else None,
            "valid_until": c.valid_until.isoformat() if c.valid_until else None,
            "recorded_by": c.recorded_by,
            "recorded_at": stamp(c.recorded_at),
        }
        for c in db.scalars(
            select(ConsentRecord).where(ConsentRecord.clip_id == clip.id).order_by(ConsentRecord.id)
        )
    ]
    w.open(fields, "runs")
    written = 0
    for run in runs:
        made, submitted = db.execute(
            select(CodingRun.created_at, CodingRun.submitted_at).where(CodingRun.id == run.run_id)
        ).one()
        head = {
            "ref": refs[run.run_id],
            "scheme": {
                "id": run.scheme,
                "version": run.scheme_version,
                "content_hash": db.get_one(Scheme, run.scheme_row).content_hash,
            },
            "coder": run.coder,
            "status": run.status,
            "blind": run.blind,
            "created_at": stamp(made),
            "submitted_at": stamp(submitted),
        }
        w.open(head, "events")
        written += _write_events(conn, run.run_id, w, meter)
        w.next_list("ratings")
        for rating in _ratings(db, run.run_id, evidence_at):
            w.item(_dumps(rating))
        w.close()
    w.close()
    return written
