"""Coding out of a workspace: tidy CSV of events or ratings, VFA's JSON, and a Document
for the other tools' writers (ELAN, BORIS, SDIS, SRT).

What goes out is a :class:`Selection` (``vfa.services.export_selection``): runs the
blind rule hides from the person exporting are left out and named. Rows are streamed
from Core queries as they are written. Files are written through a temporary file beside
the target and renamed into place (``vfa.services.export_files``).
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select

from vfa import outputs
from vfa.io import registry
from vfa.io import vfa_csv as tidy
from vfa.io.document import (
    CodeKind,
    Document,
    Event,
    MediaRef,
    Observation,
    Problem,
    Rating,
)
from vfa.io.vfa_json import scheme_codes
from vfa.services.choices import FORMATS as FORMATS
from vfa.services.choices import OWN_FORMATS as OWN_FORMATS
from vfa.services.choices import WRITER_FORMATS as WRITER_FORMATS
from vfa.services.export_files import check_target as check_target
from vfa.services.export_files import staged_file
from vfa.services.export_selection import (
    CancelledFn,
    ExportError,
    ExportResult,
    ProgressFn,
    Selection,
    _Progress,
    batches,
    event_counts,
    event_query,
    modifiers_of,
    names_in,
    rating_query,
    scheme_contents,
    selected_runs,
    stream_events,
)
from vfa.services.people import Act
from vfa.services.permissions import require_in
from vfa.storage.models import Clip as ClipRow
from vfa.storage.workspace import Workspace

__all__ = [
    "FORMATS",
    "ExportError",
    "ExportResult",
    "Selection",
    "export_file",
    "workspace_document",
    "write_events_csv",
    "write_ratings_csv",
]

SUFFIXES = {
    "csv": ".csv",
    "json": ".json",
    "eaf": ".eaf",
    "boris": ".boris",
    "sdis": ".sds",
    "srt": ".srt",
}


# -- events and ratings as tidy CSV ---------------------------------------------------------


def write_events_csv(
    ws: Workspace,
    sel: Selection,
    stream: TextIO,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ExportResult:
    """One CSV row per event of the selected runs (``vfa_csv.EVENT_COLUMNS``).

    Lines are built from cells quoted once per run, code and subject (``vfa_csv.csv_text``
    gives what the csv module would write), a batch of rows at a time.
    """
    runs, left_out = selected_runs(ws, sel)
    result = ExportResult("csv", "events", len(runs), 0, left_out)
    contents = scheme_contents(ws, {r.scheme_row for r in runs})
    counts = event_counts(ws, [r.run_id for r in runs])
    meter = _Progress(sum(counts.values()), progress, cancelled)
    cell = tidy.csv_text
    stream.write(tidy.csv_line(tidy.EVENT_COLUMNS))
    subjects: dict[str | None, str] = {None: ""}
    with ws.engine.connect() as conn:
        for run in runs:
            names = names_in(contents.get(run.scheme_row, {}), "codes")
            fixed = (
                run.case,
                run.session,
                run.session_date,
                run.clip_id,
                run.clip_file,
                run.coder,
                run.scheme,
                run.scheme_version,
            )
            prefix = ",".join(map(cell, fixed)) + ","
            codes: dict[str, str] = {}
            for part in batches(conn, event_query(run.run_id)):
                lines = []
                for code, subject, start, end, start_f, end_f, mods, caption in part:
                    code_text = codes.get(code)
                    if code_text is None:
                        code_text = codes[code] = f"{cell(code)},{cell(names.get(code, code))},"
                    subject_text = subjects.get(subject)
                    if subject_text is None:
                        subject_text = subjects[subject] = cell(subject)
                    if end is None:
                        span = f"{start},,{start_f},,"
                    else:
                        last = "" if end_f is None else end_f
                        span = f"{start},{end},{start_f},{last},{end - start}"
                    mods_text = (
                        ""
                        if mods is None or mods == "{}"
                        else cell(tidy.format_modifiers(modifiers_of(mods)))
                    )
                    caption_text = "" if caption is None else cell(caption)
                    lines.append(
                        f"{prefix}{code_text}{subject_text},{span},{mods_text},{caption_text}\n"
                    )
                stream.write("".join(lines))
                result.rows += len(lines)
                meter.step(len(lines))
    return result


def _value_text(value: float | None) -> Any:
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def write_ratings_csv(
    ws: Workspace,
    sel: Selection,
    stream: TextIO,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ExportResult:
    """One CSV row per rating of the selected runs (``vfa_csv.RATING_COLUMNS``)."""
    runs, left_out = selected_runs(ws, sel)
    result = ExportResult("csv", "ratings", len(runs), 0, left_out)
    contents = scheme_contents(ws, {r.scheme_row for r in runs})
    meter = _Progress(len(runs), progress, cancelled)
    out = tidy.writer(stream)
    out.writerow(tidy.RATING_COLUMNS)
    safe = tidy.safe_cell
    with ws.engine.connect() as conn:
        for run in runs:
            names = names_in(contents.get(run.scheme_row, {}), "items")
            for item, value, special, note in conn.execute(rating_query(run.run_id)):
                out.writerow(
                    (
                        safe(run.case),
                        safe(run.session),
                        run.clip_id,
                        safe(run.coder),
                        safe(run.scheme),
                        safe(run.scheme_version),
                        safe(item),
                        safe(names.get(item, item)),
                        _value_text(value),
                        safe(special),
                        safe(note),
                    )
                )
                result.rows += 1
            meter.step(1)
    return result


# -- a Document for the other tools' writers --------------------------------------------------


def workspace_document(ws: Workspace, sel: Selection) -> Document:
    """The selected runs as a Document: the schemes' codes, subjects and modifier sets, one
    observation per run with its clip as media, its events (captions included) and
    ratings. Runs the blind rule hides are left out and named in ``problems``."""
    runs, left_out = selected_runs(ws, sel)
    contents = scheme_contents(ws, {r.scheme_row for r in runs})
    codes, subjects, sets, problems = scheme_codes(
        (f"scheme row {row}", content) for row, content in contents.items()
    )
    problems = [Problem("selection", why) for why in left_out] + problems
    observations = []
    spans: set[str] = set()  # codes with events that last (a moment tag is such a code)
    with ws.engine.connect() as conn:
        durations = dict(
            conn.execute(
                select(ClipRow.id, ClipRow.duration_ms).where(
                    ClipRow.id.in_({r.clip_id for r in runs})
                )
            ).all()
        )
        for run in runs:
            events = []
            for code, subject, start, end, _sf, _ef, mods, caption in stream_events(
                conn, run.run_id
            ):
                if end is None:  # never stopped: it runs to the clip's end, as everywhere
                    end = max(durations.get(run.clip_id, start), start)
                    problems.append(
                        Problem(
                            f"run {run.run_id}, event at {start} ms",
                            "a state never stopped; written as running to the clip's end",
                        )
                    )
                if end != start:
                    spans.add(code)
                modifiers = tuple(
                    (str(k), str(v))
                    for k, value in modifiers_of(mods).items()
                    for v in (value if isinstance(value, list) else [value])
                )
                events.append(Event(code, start, end, subject, modifiers, caption=caption))
            ratings = tuple(
                Rating(item, special or str(_value_text(value)), note=note)
                for item, value, special, note in conn.execute(rating_query(run.run_id))
            )
            observations.append(
                Observation(
                    run.label,
                    coder=run.coder,
                    date=run.session_date,
                    media=(MediaRef(run.clip_path),),
                    events=tuple(events),
                    ratings=ratings,
                    variables=(
                        ("case", run.case),
                        ("session", run.session),
                        ("clip", str(run.clip_id)),
                        ("scheme", run.scheme),
                        ("scheme_version", run.scheme_version),
                    ),
                )
            )
    keys = sorted({r.scheme for r in runs})
    # a point code whose events last (VIG's and VIPP-SD's moment tags mark spans) goes out
    # as a state, so formats that tell the two apart (BORIS) can hold its spans
    codes = tuple(
        replace(c, kind=CodeKind.STATE) if c.kind is CodeKind.POINT and c.id in spans else c
        for c in codes
    )
    return Document(
        "vfa",
        ws.label,
        name=keys[0] if len(keys) == 1 else ws.name,
        codes=codes,
        subjects=subjects,
        modifier_sets=sets,
        observations=tuple(observations),
        problems=tuple(problems),
        author=sel.who(),
    )


# -- files --------------------------------------------------------------------------------


def export_file(
    ws: Workspace,
    fmt: str,
    path: str | os.PathLike[str],
    sel: Selection,
    what: str = "events",
    force: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> ExportResult:
    """Write the selection in a format (``FORMATS``) to ``path``, whole or not at all
    (a coder's, supervisor's or admin's act on a managed workspace)."""
    require_in(ws, Act.EXPORT_DATA, sel.viewer)
    if fmt not in FORMATS:
        raise ExportError(f"export: {fmt!r} is not a format ({', '.join(FORMATS)})")
    if what not in ("events", "ratings"):
        raise ExportError(f"export: --what is events or ratings, not {what!r}")
    if what == "ratings" and fmt != "csv":
        raise ExportError("export: ratings go out as CSV (--format csv --what ratings)")
    spec = registry.by_id(WRITER_FORMATS[fmt]) if fmt in WRITER_FORMATS else None
    if spec is not None and spec.write is None:
        raise ExportError(f"export: VFA reads {spec.name} files but does not write them")
    # the name says what is in the file: CSV is not written into a .eaf
    outputs.check_target(path, force=force, suffixes=(SUFFIXES[fmt],))
    with staged_file(path, force) as raw:
        if fmt == "csv":
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            try:
                write = write_ratings_csv if what == "ratings" else write_events_csv
                result = write(ws, sel, text, progress, cancelled)
                text.flush()
            finally:
                text.detach()
        elif fmt == "json":
            from vfa.services.workspace_json import write_workspace_json

            result = write_workspace_json(ws, sel, raw, progress, cancelled)
        else:
            assert spec is not None and spec.write is not None
            document = workspace_document(ws, sel)
            result = ExportResult(fmt, "events", len(document.observations))
            result.rows = sum(len(o.events) for o in document.observations)
            result.left_out = [p.reason for p in document.problems if p.place == "selection"]
            spec.write(document, raw, Path(path).expanduser())
    result.path = Path(path).expanduser()
    return result
