"""Writing an import plan in one transaction, and undoing a whole import batch.

The batch's audit entry (action ``import``) names the batch id, the source file, its
SHA-256, the runs made, the scheme row (and whether the batch made it), the draft
scheme file written and the coders created. Undo removes exactly those, refused when a
run of the batch was edited since (the audit trail names every edit of a run, its
events, ratings and moments) or submitted.
"""

from __future__ import annotations

import contextlib
import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, or_, select
from sqlalchemy.orm import Session as DbSession

from vfa.atomic import AtomicFile
from vfa.errors import InvalidInputError, NotFoundError
from vfa.io.document import Problem
from vfa.outputs import file_mode
from vfa.services.audit import current_actor, record, run_place
from vfa.services.coding import coder_row
from vfa.services.moment_fields import MomentDetail, moment_columns
from vfa.services.people import Act, NotAllowedError, require
from vfa.services.schemes import stored_scheme_row
from vfa.storage.models import (
    Annotation,
    AuditEntry,
    Coder,
    CodingRun,
    Moment,
    Rating,
    Role,
    RunStatus,
)
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.workspace import Workspace

if TYPE_CHECKING:
    from vfa.services.import_plan import ImportPlan, PlannedRun

BATCH_ACTION = "import"
INSERT_BATCH = 10_000
UNDO_ACTION = "undo_import"


@dataclass(frozen=True)
class ImportedRun:
    run_id: int
    clip_id: int
    coder: str
    scheme: str


@dataclass
class ImportResult:
    """What an import wrote."""

    batch: str
    format: str
    runs: list[ImportedRun]
    scheme: str
    scheme_created: bool
    events: int
    points: int
    states: int
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class UndoResult:
    """What undoing an import removed."""

    batch: str
    runs: list[int]
    events: int
    scheme_removed: bool
    scheme_file: str | None  # the draft file removed, if any


def existing_run(db: DbSession, clip_id: int, scheme_id: str, coder: str) -> int | None:
    """The coder's run of the scheme (any version) on the clip, if there is one."""
    return db.scalar(
        select(CodingRun.id)
        .join(Coder, Coder.id == CodingRun.coder_id)
        .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
        .where(CodingRun.clip_id == clip_id, Coder.name == coder, SchemeRow.scheme_key == scheme_id)
    )


def _stage_draft(plan: ImportPlan) -> AtomicFile | None:
    """The draft scheme written beside its place in the scheme folder (moved into place
    once the transaction commits)."""
    if not plan.scheme_created or plan.scheme_path is None or plan.scheme_yaml is None:
        return None
    pending: AtomicFile | None = None
    try:
        plan.scheme_path.parent.mkdir(parents=True, exist_ok=True)
        pending = AtomicFile(plan.scheme_path, mode=file_mode())
        pending.path.write_text(plan.scheme_yaml, encoding="utf-8")
    except OSError as exc:
        if pending is not None:
            pending.discard()
        raise InvalidInputError(
            f"{plan.scheme_path}: the new scheme cannot be written ({exc.strerror or exc}); "
            "nothing was imported"
        ) from None
    return pending


def _coder_id(db: DbSession, name: str, created: list[int]) -> int:
    coder_id, made = coder_row(db, name)
    if made:
        created.append(coder_id)
    return coder_id


def insert_run_events(conn: Connection, run_id: int, rows: list[dict[str, Any]]) -> list[int]:
    """Insert the events of a new run (plain executemany, a batch at a time); their ids
    in the order given. Ids ascend in insertion order (SQLite's rowid, a sequence), so
    the run's ids sorted are the rows in order."""
    for first in range(0, len(rows), INSERT_BATCH):
        conn.execute(insert(Annotation), rows[first : first + INSERT_BATCH])
    found = conn.execute(
        select(Annotation.id).where(Annotation.run_id == run_id).order_by(Annotation.id)
    )
    ids = [int(i) for i in found.scalars()]
    if len(ids) != len(rows):
        raise InvalidInputError(f"coding run {run_id}: {len(ids)} events stored, {len(rows)} given")
    return ids


def _write_run(db: DbSession, run: PlannedRun, scheme_row: int, coder_id: int) -> int:
    conn = db.connection()
    run_id = int(
        conn.execute(
            insert(CodingRun).returning(CodingRun.id),
            {
                "clip_id": run.clip_id,
                "scheme_id": scheme_row,
                "coder_id": coder_id,
                "status": RunStatus.IN_PROGRESS,
                "blind": False,
            },
        ).scalar_one()
    )
    rows = [
        {
            "run_id": run_id,
            "code": e.code,
            "subject": e.subject,
            "start_ms": e.start_ms,
            "end_ms": e.end_ms,
            "start_frame": e.start_frame,
            "end_frame": e.end_frame,
            "modifiers": e.modifiers,
            "caption": e.caption,
        }
        for e in run.events
    ]
    if rows:
        ids = insert_run_events(conn, run_id, rows)
        moments = [
            {"annotation_id": ann_id, **moment_columns(MomentDetail(e.key_ms, e.key_frame))}
            for ann_id, e in zip(ids, run.events, strict=True)
            if e.moment
        ]
        if moments:
            conn.execute(insert(Moment), moments)
    if run.ratings:
        conn.execute(
            insert(Rating),
            [
                {
                    "run_id": run_id,
                    "item": item,
                    "value": value,
                    "special": special,
                    "note": note,
                    "evidence": {},
                }
                for item, value, special, note in run.ratings
            ],
        )
    return run_id


def run_import(ws: Workspace, plan: ImportPlan, actor: str | None = None) -> ImportResult:
    """Write the plan in one transaction; a refused plan writes nothing."""
    if plan.refusals:
        raise InvalidInputError(f"{plan.file}: not imported: {plan.refusal_text()}")
    batch = uuid.uuid4().hex[:12]
    staged = _stage_draft(plan)
    made: list[ImportedRun] = []
    try:
        with ws.writes.begin() as db:
            person = require(db, Act.EXPORT_DATA, actor)
            if person is not None and person.role is Role.CODER:
                # a coder brings in their own coding, never into another person's runs
                for other in (r.coder for r in plan.runs if r.coder != person.name):
                    raise NotAllowedError(
                        f"{plan.file}: not imported: it holds {other}'s coding and "
                        f"{person.name} is a coder, who imports their own coding only (name "
                        "yourself as its coder, or ask a supervisor to import it)"
                    )
            scheme_row, row_made = stored_scheme_row(db, plan.scheme)
            coders_made: list[int] = []
            for run in plan.runs:
                taken = existing_run(db, run.clip_id, plan.scheme.id, run.coder)
                if taken is not None:  # made since the plan was
                    raise InvalidInputError(
                        f"{plan.file}: not imported: {run.coder} already has run {taken} of "
                        f"scheme {plan.scheme.id} on clip {run.clip_id}"
                    )
                run_id = _write_run(db, run, scheme_row, _coder_id(db, run.coder, coders_made))
                record(
                    db,
                    BATCH_ACTION,
                    "coding_run",
                    run_id,
                    {"batch": batch, "file": plan.file, "observation": run.observation},
                    actor=actor,
                    **run_place(db, run_id),
                )
                made.append(ImportedRun(run_id, run.clip_id, run.coder, plan.scheme.id))
            record(
                db,
                BATCH_ACTION,
                "import",
                None,
                {
                    "batch": batch,
                    "file": plan.file,
                    "sha256": plan.sha256,
                    "format": plan.format,
                    "runs": [r.run_id for r in made],
                    "events": plan.events,
                    "ratings": sum(len(r.ratings) for r in plan.runs),
                    "scheme": plan.scheme.id,
                    "scheme_row": scheme_row,
                    "scheme_row_made": row_made,
                    "scheme_file": str(plan.scheme_path) if staged else None,
                    "scheme_file_sha256": (
                        hashlib.sha256(plan.scheme_yaml.encode("utf-8")).hexdigest()
                        if staged and plan.scheme_yaml
                        else None
                    ),
                    "coders_made": coders_made,
                },
                actor=actor,
            )
    except BaseException:
        if staged is not None:
            staged.discard()
        raise
    problems = list(plan.problems)
    if staged is not None and plan.scheme_path is not None:
        problems += _publish(staged, plan.scheme_path)
    return ImportResult(
        batch,
        plan.format,
        made,
        plan.scheme.id,
        plan.scheme_created,
        plan.events,
        plan.points,
        plan.states,
        problems,
    )


def _publish(staged: AtomicFile, target: Path) -> list[Problem]:
    try:
        staged.commit(replace=False)
    except FileExistsError:
        if target.read_bytes() != staged.path.read_bytes():
            return [
                Problem(
                    str(target),
                    "another file of that name appeared meanwhile; it was kept and the "
                    "imported scheme lives in the workspace only",
                )
            ]
    except OSError as exc:
        return [
            Problem(
                str(target),
                f"the scheme file could not be written ({exc.strerror or exc}); the imported "
                "scheme lives in the workspace only",
            )
        ]
    finally:
        staged.discard()
    return []


# -- undo ------------------------------------------------------------------------------------


def _batch_entry(db: DbSession, batch: str) -> AuditEntry:
    for entry in db.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == BATCH_ACTION, AuditEntry.entity == "import")
        .order_by(AuditEntry.id.desc())
    ):
        if entry.detail.get("batch") == batch:
            return entry
    raise NotFoundError(f"import batch {batch!r}: no such import in this workspace")


def _edited_since(db: DbSession, entry: AuditEntry, runs: list[int]) -> list[str]:
    """What happened to the batch's runs after it was imported (from the audit trail)."""
    annotation_ids = select(Annotation.id).where(Annotation.run_id.in_(runs))
    later = db.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.id > entry.id,
            or_(
                (AuditEntry.entity == "coding_run") & AuditEntry.entity_id.in_(runs),
                AuditEntry.entity.in_(("annotation", "moment"))
                & AuditEntry.entity_id.in_(annotation_ids),
            ),
        )
        .order_by(AuditEntry.id)
    ).all()
    return [
        f"{e.action} of {e.entity} {e.entity_id} at {e.at:%Y-%m-%d %H:%M} by {e.actor}"
        for e in later
        if not (e.action == BATCH_ACTION and e.detail.get("batch") == entry.detail.get("batch"))
    ]


def undo_import(ws: Workspace, batch: str, actor: str | None = None) -> UndoResult:
    """Remove what the import batch added: its runs (events, ratings, moments), the scheme
    row and draft file it made, the coders it made. Refused when a run was edited since or
    submitted, or the batch was undone already."""
    batch = batch.strip()
    with ws.writes.begin() as db:
        require(db, Act.EXPORT_DATA, actor)
        entry = _batch_entry(db, batch)
        detail: dict[str, Any] = dict(entry.detail)
        undone = db.scalars(select(AuditEntry).where(AuditEntry.action == UNDO_ACTION)).all()
        if any(u.detail.get("batch") == batch for u in undone):
            raise InvalidInputError(f"import batch {batch}: already undone")
        runs = [int(r) for r in detail.get("runs", [])]
        present = db.execute(
            select(CodingRun.id, CodingRun.status).where(CodingRun.id.in_(runs))
        ).all()
        submitted = [str(r) for r, status in present if RunStatus(status) is RunStatus.SUBMITTED]
        if submitted:
            raise InvalidInputError(
                f"import batch {batch}: run {', '.join(submitted)} was submitted since; "
                "reopen it (with a reason) and undo its edits first, or keep the import"
            )
        edits = _edited_since(db, entry, runs)
        events = db.scalar(
            select(func.count()).select_from(Annotation).where(Annotation.run_id.in_(runs))
        )
        if not edits and (len(present) != len(runs) or events != detail.get("events")):
            edits = ["events or runs of it are no longer as imported"]
        if edits:
            raise InvalidInputError(
                f"import batch {batch}: its coding was changed since it was imported "
                f"({'; '.join(edits[:5])}{'; …' if len(edits) > 5 else ''}); nothing was undone"
            )
        db.execute(delete(CodingRun).where(CodingRun.id.in_(runs)))
        scheme_removed = False
        row = detail.get("scheme_row")
        if detail.get("scheme_row_made") and row is not None:
            used = db.scalar(
                select(func.count()).select_from(CodingRun).where(CodingRun.scheme_id == row)
            )
            if not used:
                db.execute(delete(SchemeRow).where(SchemeRow.id == row))
                scheme_removed = True
        for coder_id in detail.get("coders_made", []):
            used = db.scalar(
                select(func.count()).select_from(CodingRun).where(CodingRun.coder_id == coder_id)
            )
            if not used:
                db.execute(delete(Coder).where(Coder.id == coder_id))
        still_used = db.scalar(
            select(func.count())
            .select_from(CodingRun)
            .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
            .where(SchemeRow.scheme_key == detail.get("scheme"))
        )
        removed_file = None if still_used else _draft_to_remove(detail)
        record(
            db,
            UNDO_ACTION,
            "import",
            None,
            {"batch": batch, "runs": runs, "events": events, "scheme_removed": scheme_removed},
            actor=actor or current_actor(),
        )
    if removed_file is not None:
        with contextlib.suppress(OSError):
            removed_file.unlink()
    return UndoResult(
        batch, runs, int(events or 0), scheme_removed, str(removed_file) if removed_file else None
    )


def _draft_to_remove(detail: dict[str, Any]) -> Path | None:
    """The draft scheme file the batch wrote, if it is still as written."""
    name, digest = detail.get("scheme_file"), detail.get("scheme_file_sha256")
    if not name or not digest:
        return None
    path = Path(name)
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return None  # edited since: the user's now
    except OSError:
        return None
    return path
