"""The workspace's reliability report: ratings agreement and, for schemes with an
ethogram, event agreement, with the methods named, written as PDF or CSV. The same
function serves the CLI (``vfa reliability-report``) and the supervisor's window."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vfa.errors import InvalidInputError
from vfa.outputs import check_target
from vfa.services.event_reliability import events_agreement
from vfa.services.reliability_runs import ratings_agreement
from vfa.services.schemes import current_scheme
from vfa.storage.workspace import Workspace

REPORT_SUFFIXES = (".pdf", ".csv")


@dataclass(frozen=True)
class Report:
    report: dict[str, Any]
    methods: dict[str, Any]
    title: str
    clips: tuple[int, ...]


def build_report(
    ws: Workspace,
    scheme_id: str,
    viewer: str,
    *,
    reference: str | None = None,
    coders: tuple[str, str] | None = None,
    unit_ms: int = 1000,
    overlap: float | None = None,
    tolerance_ms: int | None = None,
    title: str | None = None,
) -> Report:
    """Agreement over the scheme's double-coded, submitted clips (blind runs still open
    are held back and listed under ``pending``)."""
    scheme = current_scheme(ws, scheme_id)
    report: dict[str, Any] = {}
    clips: set[int] = set()
    if scheme.ratings is not None or scheme.grids:
        ratings = ratings_agreement(ws, scheme_id, viewer, reference=reference)
        report.update(ratings)
        clips.update(ratings["clips"])
    if scheme.ethogram is not None:
        try:
            events = events_agreement(
                ws,
                scheme_id,
                viewer,
                coders=coders,
                unit_ms=unit_ms,
                overlap=overlap if overlap is not None else 0.6,
                tolerance_ms=tolerance_ms,
            )
        except InvalidInputError:
            if "items" not in report:
                raise
        else:
            report["time_unit"], report["event"] = events["time_unit"], events["event"]
            clips.update(int(u) for u in events["units"])
            if "coders" not in report:
                report["coders"] = sorted({c for pair in events["coders"].values() for c in pair})
    if "items" in report and not report["items"] and "time_unit" not in report:
        pending = len(report.get("pending", []))
        raise InvalidInputError(
            f"scheme {scheme_id}: no double-coded clip with submitted runs"
            + (f" ({pending} held back by open blind runs)" if pending else "")
        )
    methods = {
        "scheme": f"{scheme.name} ({scheme.id} version {scheme.version})",
        "source": ws.label,
        "reference": reference,
        "clips": len(clips),
    }
    return Report(
        report, methods, title or f"Coder reliability: {scheme.name}", tuple(sorted(clips))
    )


def write_report(result: Report, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """The report as PDF or CSV, by the file's extension (an existing file is replaced
    only with ``force``)."""
    from vfa.reports.reliability import write_reliability_csv, write_reliability_pdf

    target = check_target(out, force=force, suffixes=REPORT_SUFFIXES)
    if target.suffix.lower() == ".pdf":
        return write_reliability_pdf(
            target, result.report, result.methods, result.title, force=force
        )
    return write_reliability_csv(target, result.report, result.methods, force=force)
