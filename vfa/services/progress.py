"""Progress over time: a case's score on one scheme at each filming, per coder.

The measure is the scheme's ratings aggregate (the KIPS mean), or, for a scheme with only
grids, the total of the banded scale (CARE-Index: the adult's Sensitivity). Each run is
scored with the scheme content it was coded with, so a later edit of the scheme file
never changes an earlier point. A partial sum (a ``sum`` with items missing, a grid whose
banded member has rows not filled in) is not comparable with a complete one and is left
out (``total`` None), as the scoring leaves it without a band. Runs the blind rule hides
from the viewer (``vfa.services.blind``) are left out entirely.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select

from vfa.domain.schemes import Band, Scheme
from vfa.domain.scoring import ScoreResult
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import coding
from vfa.services.blind import blind_view
from vfa.services.case_access import check_case
from vfa.services.clips import find_case
from vfa.services.schemes import SchemeLookup, current_scheme, get_scheme, stored_scheme
from vfa.services.viewer import resolve
from vfa.storage.models import Clip, Coder, CodingRun, RunStatus, Session
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.workspace import Workspace

_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9-]*)\)\s*$")


@dataclass(frozen=True)
class ProgressSession:
    """A filming of the case, in chart order (coded with the scheme or not)."""

    id: int
    label: str
    date: dt.date | None
    cycle: int | None


@dataclass(frozen=True)
class ProgressPoint:
    """One coding run's total at one session."""

    session_id: int
    session_label: str
    date: dt.date | None
    cycle: int | None
    coder: str
    clip_id: int
    run_id: int
    total: float | None  # None: nothing counted yet, or a partial sum
    band: str | None
    submitted: bool


@dataclass(frozen=True)
class Progress:
    case_code: str
    scheme_id: str
    scheme_name: str
    measure: str  # what is plotted: "KIPS mean", "Sensitivity total"
    bands: tuple[Band, ...]  # of the measure, for shading, ordered by min
    scale_min: float
    scale_max: float
    sessions: tuple[ProgressSession, ...]  # every session of the case, in order
    points: tuple[ProgressPoint, ...]  # in session order, then coder


@dataclass(frozen=True)
class _Measure:
    name: str
    bands: tuple[Band, ...]
    low: float
    high: float


def _measure(scheme: Scheme) -> _Measure:
    """What a progress chart of this scheme plots; InvalidInputError when there is none."""
    section = scheme.ratings
    if section is not None:
        found = _ACRONYM.search(scheme.name)
        short = found.group(1) if found else scheme.name
        items = section.items
        zero = any(s.counts_as == "zero" for i in items for s in i.special)
        if section.aggregate == "mean":
            low = 0.0 if zero else float(min(i.scale_min for i in items))
            high = float(max(i.scale_max for i in items))
        else:
            low = 0.0 if zero else float(sum(i.scale_min for i in items))
            high = float(sum(i.scale_max for i in items))
        return _Measure(f"{short} {section.aggregate}", _ordered(section.bands), low, high)
    for grid in scheme.grids:
        if grid.band_scale is not None:
            scale = next(s for m in grid.members for s in m.scales if s.id == grid.band_scale)
            high = float(grid.points_per_row * len(grid.rows))
            return _Measure(f"{scale.name} total", _ordered(grid.bands), 0.0, high)
    raise InvalidInputError(
        f"scheme {scheme.id} ({scheme.name}): no score to follow over time "
        "(it has no ratings and no banded grid)"
    )


def _ordered(bands: tuple[Band, ...]) -> tuple[Band, ...]:
    return tuple(sorted(bands, key=lambda b: (b.min, b.max)))


def has_progress(scheme: Scheme) -> bool:
    """Whether the scheme has a score a progress chart can plot."""
    try:
        _measure(scheme)
    except InvalidInputError:
        return False
    return True


def _value(scheme: Scheme, result: ScoreResult) -> tuple[float | None, str | None]:
    """The plotted total and its band, from a run's score."""
    section = scheme.ratings
    if section is not None:
        if section.aggregate == "sum" and result.missing:
            return None, None
        return result.total, result.band
    for grid in scheme.grids:
        scale = grid.band_scale
        if scale is None:
            continue
        owner = next(m.id for m in grid.members if scale in {s.id for s in m.scales})
        if any(cell.endswith(f"/{owner}") for cell in result.grid_missing[grid.id]):
            return None, None
        return float(result.grid_totals[grid.id][scale]), result.grid_bands[grid.id]
    return None, None  # coded with a content that had no such score


def _case(
    ws: Workspace, case_code: str, viewer: str | None
) -> tuple[int, tuple[ProgressSession, ...]]:
    with ws.sessions() as db:
        case = find_case(db, case_code)  # FAM-001 is fam-001
        if case is None:
            raise NotFoundError(f"case {case_code!r}: no such case in {ws.label}")
        check_case(db, case.id, viewer, f"case {case.code}")  # a therapist's own cases
        rows = db.scalars(select(Session).where(Session.case_id == case.id)).all()
        sessions = [ProgressSession(s.id, s.label, s.date, s.cycle) for s in rows]
        case_id = case.id
    sessions.sort(
        key=lambda s: (
            s.date is None,
            s.date or dt.date.min,
            s.cycle is None,
            s.cycle or 0,
            s.id,
        )
    )
    return case_id, tuple(sessions)


def case_progress(
    ws: Workspace,
    case_code: str,
    scheme_id: str,
    *,
    submitted_only: bool = False,
    viewer: str | None = None,
    find_scheme: SchemeLookup = get_scheme,
) -> Progress:
    """Every coding run's total on the scheme for the case that the blind rule lets
    ``viewer`` (None: you) see, in session order. A hidden run is left out entirely.
    ``find_scheme`` looks the scheme up (a library read once, else the folders now)."""
    case_id, sessions = _case(ws, case_code, viewer)
    current = current_scheme(ws, scheme_id, find_scheme)
    measure = _measure(current)
    name = resolve(viewer)
    with ws.sessions() as db:
        query = (
            select(CodingRun, Clip.session_id, Coder.name, SchemeRow)
            .join(Clip, Clip.id == CodingRun.clip_id)
            .join(Session, Session.id == Clip.session_id)
            .join(Coder, Coder.id == CodingRun.coder_id)
            .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
            .where(Session.case_id == case_id, SchemeRow.scheme_key == scheme_id)
        )
        if submitted_only:
            query = query.where(CodingRun.status == RunStatus.SUBMITTED)
        runs = []
        versions: dict[int, Scheme] = {}
        found = db.execute(query).all()
        view = blind_view(db, name, {run.clip_id for run, *_ in found})
        for run, session_id, coder_name, row in found:
            if view.hides(run.id, run.clip_id, coder_name):
                continue
            if row.id not in versions:
                same = row.content_hash == current.content_hash
                versions[row.id] = current if same else stored_scheme(ws, row)
            submitted = run.status is RunStatus.SUBMITTED
            runs.append((run.id, run.clip_id, session_id, coder_name, row.id, submitted))
    by_session = {s.id: s for s in sessions}
    order = {s.id: n for n, s in enumerate(sessions)}
    runs.sort(key=lambda r: (order[r[2]], r[3].casefold(), r[1], r[0]))
    points = []
    for run_id, clip_id, session_id, coder_name, row_id, submitted in runs:
        scheme = versions[row_id]
        total, band = _value(scheme, coding.run_score(ws, run_id, scheme, name))
        session = by_session[session_id]
        points.append(
            ProgressPoint(
                session.id,
                session.label,
                session.date,
                session.cycle,
                coder_name,
                clip_id,
                run_id,
                total,
                band,
                submitted,
            )
        )
    return Progress(
        case_code=case_code,
        scheme_id=current.id,
        scheme_name=current.name,
        measure=measure.name,
        bands=measure.bands,
        scale_min=measure.low,
        scale_max=measure.high,
        sessions=sessions,
        points=tuple(points),
    )


def coded_schemes(ws: Workspace, case_code: str, viewer: str | None = None) -> list[str]:
    """The ids of the schemes with coding runs on the case's clips that the blind rule
    lets ``viewer`` (None: you) see, sorted."""
    case_id, _ = _case(ws, case_code, viewer)
    with ws.sessions() as db:
        rows = db.execute(
            select(CodingRun.id, CodingRun.clip_id, Coder.name, SchemeRow.scheme_key)
            .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
            .join(Coder, Coder.id == CodingRun.coder_id)
            .join(Clip, Clip.id == CodingRun.clip_id)
            .join(Session, Session.id == Clip.session_id)
            .where(Session.case_id == case_id)
        ).all()
        view = blind_view(db, viewer, {clip_id for _, clip_id, _, _ in rows})
    return sorted({key for run, clip, coder, key in rows if not view.hides(run, clip, coder)})
