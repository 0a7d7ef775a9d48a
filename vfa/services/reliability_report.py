"""The workspace's reliability report: ratings agreement and, for schemes with an
ethogram, event agreement, with the methods named, written as PDF or CSV. The same
function serves the CLI (``vfa reliability-report``) and the supervisor's window."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vfa.domain.event_results import EventsAgreement
from vfa.errors import InvalidInputError
from vfa.outputs import check_target
from vfa.reports.reliability import Content, write_reliability_csv, write_reliability_pdf
from vfa.services.event_reliability import events_agreement
from vfa.services.reliability_runs import WorkspaceAgreement, ratings_agreement
from vfa.services.schemes import SchemeLookup, current_scheme, get_scheme
from vfa.storage.workspace import Workspace

REPORT_SUFFIXES = (".pdf", ".csv")


@dataclass(frozen=True)
class Report:
    """What the report shows: ratings agreement, events agreement (pooled over the
    clips), the facts for the Methods, the title."""

    ratings: WorkspaceAgreement | None
    events: EventsAgreement | None
    methods: dict[str, Any]
    title: str
    clips: tuple[int, ...]

    @property
    def content(self) -> Content:
        """The report's tables, as the PDF and CSV writers take them."""
        return Content(self.ratings.agreement if self.ratings else None, self.events)

    @property
    def pending(self) -> list[dict[str, Any]]:
        """The clips held back by open blind runs, as ``ratings_agreement`` lists them."""
        return self.ratings.as_dict()["pending"] if self.ratings else []


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
    find_scheme: SchemeLookup = get_scheme,
) -> Report:
    """Agreement over the scheme's double-coded, submitted clips (blind runs still open
    are held back and listed under ``pending``). ``find_scheme`` looks the scheme up (a
    library read once, else the folders now)."""
    scheme = current_scheme(ws, scheme_id, find_scheme)
    ratings: WorkspaceAgreement | None = None
    events: EventsAgreement | None = None
    clips: set[int] = set()
    if scheme.ratings is not None or scheme.grids:
        ratings = ratings_agreement(
            ws, scheme_id, viewer, reference=reference, find_scheme=find_scheme
        )
        clips.update(ratings.clips)
    if scheme.ethogram is not None:
        try:
            pooled = events_agreement(
                ws,
                scheme_id,
                viewer,
                coders=coders,
                unit_ms=unit_ms,
                overlap=overlap if overlap is not None else 0.6,
                tolerance_ms=tolerance_ms,
                find_scheme=find_scheme,
            )
        except InvalidInputError:
            if ratings is None:
                raise
        else:
            events = pooled.agreement
            clips.update(pooled.clips)
    if ratings is not None and not ratings.agreement.items and events is None:
        pending = len(ratings.pending)
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
        ratings,
        events,
        methods,
        title or f"Coder reliability: {scheme.name}",
        tuple(sorted(clips)),
    )


def write_report(result: Report, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """The report as PDF or CSV, by the file's extension (an existing file is replaced
    only with ``force``)."""
    target = check_target(out, force=force, suffixes=REPORT_SUFFIXES)
    if target.suffix.lower() == ".pdf":
        return write_reliability_pdf(
            target, result.content, result.methods, result.title, force=force
        )
    return write_reliability_csv(target, result.content, result.methods, force=force)
