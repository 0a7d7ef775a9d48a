"""Restoring VFA's JSON export into an empty workspace, in one transaction.

Every field is checked by ``vfa.io.vfa_json.load``; what a field check cannot see is
checked here before anything is written (scheme contents against their hashes, names
given twice, runs of coders the file does not list, evidence pointing at no event).
New rows are inserted in the file's order, so exporting the restored workspace gives the
same file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.orm import Session as DbSession

from vfa.domain.schemes import content_hash
from vfa.domain.text_fields import matching_key
from vfa.errors import FormatError, InvalidInputError
from vfa.io import vfa_json
from vfa.services.audit import record
from vfa.services.import_writes import insert_run_events
from vfa.services.people import Act, require
from vfa.storage.models import (
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

CLIP_FIELDS = (
    "path", "fingerprint", "content_hash", "file_size", "file_mtime_ns", "duration_ms",
    "frame_count", "fps", "vfr", "width", "height", "rotation", "has_audio", "codec",
)  # fmt: skip
Obj = dict[str, Any]


@dataclass(frozen=True)
class RestoreResult:
    """What a restore put into the workspace."""

    cases: int
    clips: int
    runs: int
    events: int
    ratings: int
    sha256: str


def parse_stamp(text: str | None) -> dt.datetime | None:
    """An exported date-time (UTC) as an aware datetime."""
    if text is None:
        return None
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _ms(value: float | None) -> int | None:
    return None if value is None else math.floor(value + 0.5)


def _made(column: str, text: str | None) -> Obj:
    """A creation time when the file gives one (else the column's default: now)."""
    value = parse_stamp(text)
    return {column: value} if value is not None else {}


def _scheme_key(ref: Obj) -> tuple[str, str, str]:
    return (ref["id"], ref["version"], ref["content_hash"])


# -- checks -------------------------------------------------------------------------------


def check_restorable(data: Obj, file: str) -> None:
    """What the field checks cannot see: hashes, names given twice, dangling references."""
    for n, scheme in enumerate(data.get("schemes", [])):
        if content_hash(scheme["content"]) != scheme["content_hash"]:
            raise FormatError(
                file, f"schemes[{n}].content", "does not match its content_hash (it was changed)"
            )
    names = [c["name"] for c in data.get("coders", [])]
    if len(set(names)) != len(names):
        raise FormatError(file, "coders", "a coder is listed twice")
    criteria = [c["scheme"] for c in data.get("criteria", [])]
    if len(set(criteria)) != len(criteria):
        raise FormatError(file, "criteria", "a scheme has two criteria")
    events_in: dict[int, int] = {}  # run ref -> number of events
    cases: set[str] = set()
    for c, case in enumerate(data.get("cases", [])):
        if case["code"].casefold() in cases:
            raise FormatError(file, f"cases[{c}].code", f"case {case['code']!r} is listed twice")
        cases.add(case["code"].casefold())
        labels: set[str] = set()
        for s, session in enumerate(case.get("sessions", [])):
            place = f"cases[{c}].sessions[{s}]"
            if matching_key(session["label"]) in labels:
                raise FormatError(file, f"{place}.label", f"{session['label']!r} is listed twice")
            labels.add(matching_key(session["label"]))
            for k, clip in enumerate(session.get("clips", [])):
                _check_runs(clip, f"{place}.clips[{k}]", set(names), events_in, file)
    for _case, _session, _clip, run in vfa_json.runs(data):
        for n, rating in enumerate(run.get("ratings", [])):
            for ref, index in (rating.get("evidence") or {}).get("annotations", []):
                if events_in.get(ref, 0) <= index:
                    raise FormatError(
                        file,
                        f"run {run['ref']} ratings[{n}].evidence",
                        f"[{ref}, {index}] points at no event in the file",
                    )


def _check_runs(
    clip: Obj, place: str, coders: set[str], events_in: dict[int, int], file: str
) -> None:
    owners: set[tuple[str, str, str, str]] = set()
    for r, run in enumerate(clip.get("runs", [])):
        where = f"{place}.runs[{r}]"
        if run["coder"] not in coders:
            raise FormatError(file, f"{where}.coder", f"{run['coder']!r} is not in coders")
        owner = (*_scheme_key(run["scheme"]), run["coder"])
        if owner in owners:
            raise FormatError(
                file, where, "a second run of the clip by the same coder with the same scheme"
            )
        owners.add(owner)
        if run["ref"] in events_in:
            raise FormatError(file, f"{where}.ref", f"run ref {run['ref']} is used twice")
        events_in[run["ref"]] = len(run.get("events", []))
        items = [x["item"] for x in run.get("ratings", [])]
        if len(set(items)) != len(items):
            raise FormatError(file, f"{where}.ratings", "an item is rated twice")


def _check_empty(db: DbSession, ws: Workspace) -> None:
    counts = {
        "cases": db.scalar(select(func.count()).select_from(Case)),
        "coders": db.scalar(select(func.count()).select_from(Coder)),
        "schemes": db.scalar(select(func.count()).select_from(Scheme)),
        "criteria": db.scalar(select(func.count()).select_from(ReliabilityCriterion)),
    }
    held = [f"{n} {what}" for what, n in counts.items() if n]
    if held:
        raise InvalidInputError(
            f"{ws.label}: a workspace is restored only into an empty workspace; this one "
            f"holds {', '.join(held)}. Create a new one (vfa workspace new) and restore there"
        )


# -- writing -----------------------------------------------------------------------------


class _Restorer:
    def __init__(self, conn: Connection, file: str) -> None:
        self.conn, self.file = conn, file
        self.schemes: dict[tuple[str, str, str], int] = {}
        self.coders: dict[str, int] = {}
        self.events_of: dict[int, list[int]] = {}  # run ref -> new annotation ids
        self.ratings: list[tuple[int, Obj]] = []
        self.counts = {"cases": 0, "clips": 0, "runs": 0, "events": 0, "ratings": 0}

    def new_id(self, table: Any, row: Obj) -> int:
        return int(self.conn.execute(insert(table).returning(table.id), row).scalar_one())

    def header(self, data: Obj) -> None:
        for s in data.get("schemes", []):
            self.schemes[_scheme_key(s)] = self.new_id(
                Scheme,
                {
                    "scheme_key": s["id"],
                    "version": s["version"],
                    "content_hash": s["content_hash"],
                    "name": s["name"],
                    "content": s["content"],
                },
            )
        for c in data.get("coders", []):
            self.coders[c["name"]] = self.new_id(Coder, {"name": c["name"], "role": c["role"]})
        for c in data.get("criteria", []):
            row = {
                "scheme_key": c["scheme"],
                "statistic": c["statistic"],
                "threshold": c["threshold"],
                "window": c["window"],
                "item": c.get("item"),
                "updated_by": c.get("updated_by"),
            }
            self.conn.execute(
                insert(ReliabilityCriterion), {**row, **_made("updated_at", c.get("updated_at"))}
            )

    def case(self, case: Obj) -> None:
        self.counts["cases"] += 1
        case_id = self.new_id(
            Case, {"code": case["code"], **_made("created_at", case.get("created_at"))}
        )
        for s in case.get("sessions", []):
            session_id = self.new_id(
                Session,
                {
                    "case_id": case_id,
                    "label": s["label"],
                    "date": _date(s.get("date")),
                    "context": s.get("context"),
                    "cycle": s.get("cycle"),
                    "theme": s.get("theme"),
                },
            )
            for clip in s.get("clips", []):
                self.clip(clip, session_id)

    def clip(self, clip: Obj, session_id: int) -> None:
        self.counts["clips"] += 1
        row = {name: clip.get(name) for name in CLIP_FIELDS}
        row["frame_table"] = vfa_json.frame_table_bytes(
            clip["frame_table"], self.file, "frame_table"
        )
        row["session_id"] = session_id
        clip_id = self.new_id(Clip, {**row, **_made("added_at", clip.get("added_at"))})
        for consent in clip.get("consent", []):
            given = {
                "clip_id": clip_id,
                "purposes": consent.get("purposes") or {},
                "given_on": _date(consent.get("given_on")),
                "valid_until": _date(consent.get("valid_until")),
                "recorded_by": consent.get("recorded_by"),
            }
            self.conn.execute(
                insert(ConsentRecord), {**given, **_made("recorded_at", consent.get("recorded_at"))}
            )
        for run in clip.get("runs", []):
            self.run(run, clip_id)

    def run(self, run: Obj, clip_id: int) -> None:
        self.counts["runs"] += 1
        run_id = self.new_id(
            CodingRun,
            {
                "clip_id": clip_id,
                "scheme_id": self.schemes[_scheme_key(run["scheme"])],
                "coder_id": self.coders[run["coder"]],
                "status": run["status"],
                "blind": run["blind"],
                "submitted_at": parse_stamp(run.get("submitted_at")),
                **_made("created_at", run.get("created_at")),
            },
        )
        ids = self.events(run_id, run.get("events", []))
        self.events_of[run["ref"]] = ids
        self.counts["events"] += len(ids)
        self.ratings += [(run_id, r) for r in run.get("ratings", [])]

    def events(self, run_id: int, events: list[Obj]) -> list[int]:
        """Insert a run's events in file order; their new ids in the same order."""
        now = dt.datetime.now(dt.UTC)
        rows = [
            {
                "run_id": run_id,
                "code": e["code"],
                "subject": e.get("subject"),
                "start_ms": _ms(e["start_ms"]),
                "end_ms": _ms(e.get("end_ms")),
                "start_frame": e["start_frame"],
                "end_frame": e.get("end_frame"),
                "modifiers": e.get("modifiers") or {},
                "caption": e.get("caption"),
                "created_at": parse_stamp(e.get("created_at")) or now,
            }
            for e in events
        ]
        ids = insert_run_events(self.conn, run_id, rows) if rows else []
        moments = [
            _moment_row(i, e["moment"])
            for i, e in zip(ids, events, strict=True)
            if e.get("moment") is not None
        ]
        if moments:
            self.conn.execute(insert(Moment), moments)
        return ids

    def finish_ratings(self) -> None:
        for run_id, r in self.ratings:
            evidence = dict(r.get("evidence") or {})
            if "annotations" in evidence:
                evidence["annotations"] = [
                    self.events_of[ref][i] for ref, i in evidence["annotations"]
                ]
            self.conn.execute(
                insert(Rating),
                {
                    "run_id": run_id,
                    "item": r["item"],
                    "value": r.get("value"),
                    "special": r.get("special"),
                    "note": r.get("note"),
                    "evidence": evidence,
                },
            )
        self.counts["ratings"] = len(self.ratings)


def _moment_row(annotation_id: int, m: Obj) -> Obj:
    return {
        "annotation_id": annotation_id,
        "key_ms": _ms(m["key_ms"]),
        "key_frame": m["key_frame"],
        "tags": m.get("tags") or {},
        "child_line": m.get("child_line"),
        "comment": m.get("comment"),
        "feedback": m["feedback"],
        "reel_position": m.get("reel_position"),
    }


def import_workspace_json(ws: Workspace, path: str | Path) -> RestoreResult:
    """Restore a VFA JSON export into an empty workspace, all in one transaction."""
    file = str(path)
    data = vfa_json.load(file)
    check_restorable(data, file)
    digest = hashlib.sha256(Path(file).read_bytes()).hexdigest()
    with ws.writes.begin() as db:
        require(db, Act.EXPORT_DATA)
        _check_empty(db, ws)
        restorer = _Restorer(db.connection(), file)
        restorer.header(data)
        for case in data.get("cases", []):
            restorer.case(case)
        restorer.finish_ratings()
        counts = restorer.counts
        record(db, "restore", "workspace", None, {"file": file, "sha256": digest, **counts})
    return RestoreResult(sha256=digest, **counts)
