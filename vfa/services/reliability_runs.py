"""Agreement between coders from the workspace's own coding runs.

Ratings: the units are clips, the coders the people with a run of the scheme on them. A
clip enters when two or more coders have a run of the scheme on it (submitted runs only,
unless asked otherwise) and none of its blind runs is still open (see the blind rule in
``vfa.services.assignments``); clips held back by open blind runs are listed under
``pending``. When a coder has runs of the clip with several contents of the scheme (the
file changed), the latest submitted one counts. The items are the scheme's rating items
(a special code such as NOB is a missing value, as in ``vfa.services.reliability``) and
its grid scales, named by the scale's id (``sensitivity``, ``cooperativeness``) as in a
ratings CSV: a scale's value is its total over the grid's rows, taken only when the run
filled in every row for the scale's member (a partial total is not comparable; missing).
The result has the shape of ``vfa.services.reliability.ratings_report`` and, for the same
ratings, the same numbers: coders are listed in alphabetical order, clips in catalogue
order.

Events: the runs' annotations of two coders on one clip, paired as
``vfa.domain.event_agreement`` pairs them. A code the scheme allows for several subjects is
told apart by the subject it was recorded for (``parent:touch`` is not ``child:touch``);
a code with a single subject is its code alone. An unpaired event is a disagreement with
nothing; a state still running in a submitted run is taken to run to the clip's end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from vfa.domain.agreement import rating_stats
from vfa.domain.event_agreement import (
    Event,
    EventResult,
    TimeUnitResult,
    event_agreement,
    pair_events,
    time_unit_agreement,
)
from vfa.domain.schemes import Scheme
from vfa.domain.scoring import RatingValue, score
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import coding
from vfa.services.assignments import (
    PendingRun,
    check_clip_complete,
    check_may_view,
    pending_blind_runs,
    pending_text,
)
from vfa.services.clips import catalog
from vfa.services.coding import GRID_SEP, grid_points
from vfa.services.reliability import RatingsTable, pooled_events
from vfa.services.schemes import current_scheme, stored_scheme
from vfa.storage.models import Annotation, Clip, Coder, CodingRun, RunStatus
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.workspace import Workspace

PAIR_KINDS = ("match", "code", "missing_first", "missing_second")


@dataclass(frozen=True)
class _Run:
    id: int
    clip_id: int
    coder: str
    scheme_row: int
    status: RunStatus
    blind: bool
    submitted_at: dt.datetime | None


def _clip_order(ws: Workspace) -> dict[int, int]:
    order = [k.id for c in catalog(ws) for s in c.sessions for k in s.clips]
    return {clip_id: n for n, clip_id in enumerate(order)}


def _runs(db: DbSession, scheme_id: str, submitted_only: bool) -> list[_Run]:
    query = (
        select(
            CodingRun.id,
            CodingRun.clip_id,
            Coder.name,
            CodingRun.scheme_id,
            CodingRun.status,
            CodingRun.blind,
            CodingRun.submitted_at,
        )
        .join(Coder, Coder.id == CodingRun.coder_id)
        .join(SchemeRow, SchemeRow.id == CodingRun.scheme_id)
        .where(SchemeRow.scheme_key == scheme_id)
        .order_by(CodingRun.id)
    )
    if submitted_only:
        query = query.where(CodingRun.status == RunStatus.SUBMITTED)
    return [
        _Run(id_, clip, coder, row, RunStatus(status), blind, at)
        for id_, clip, coder, row, status, blind, at in db.execute(query).all()
    ]


def _latest(runs: Sequence[_Run]) -> dict[tuple[int, str], _Run]:
    """One run per clip and coder: the latest submitted, else the newest."""
    chosen: dict[tuple[int, str], _Run] = {}
    for run in runs:
        key = (run.clip_id, run.coder)
        before = chosen.get(key)
        if before is None or _rank(run) >= _rank(before):
            chosen[key] = run
    return chosen


def _rank(run: _Run) -> tuple[bool, dt.datetime, int]:
    when = run.submitted_at or dt.datetime.min
    if when.tzinfo is not None:
        when = when.replace(tzinfo=None)
    return (run.status is RunStatus.SUBMITTED, when, run.id)


# -- ratings -----------------------------------------------------------------------------


@dataclass
class CodedRatings:
    """The ratings of a scheme's double-coded clips, as a ``RatingsTable``.

    Units are clip ids as text; ``runs`` and ``submitted_at`` are keyed by (clip id,
    coder); ``pending`` lists the clips held back by open blind runs.
    """

    scheme: Scheme
    table: RatingsTable
    clips: list[int]
    runs: dict[tuple[int, str], int]
    submitted_at: dict[tuple[int, str], dt.datetime | None]
    pending: dict[int, list[PendingRun]] = field(default_factory=dict)


def grid_scale_maxima(scheme: Scheme) -> dict[str, int]:
    """Each grid scale's id and its largest total (points per row × rows)."""
    return {
        scale.id: grid.points_per_row * len(grid.rows)
        for grid in scheme.grids
        for member in grid.members
        for scale in member.scales
    }


def _run_values(
    scheme: Scheme, states: dict[str, coding.RatingState]
) -> tuple[dict[str, float | None], dict[str, RatingValue]]:
    """A run's item values (None for a special code) with grid scale totals, and the raw
    item ratings the scheme's total is scored from."""
    values: dict[str, float | None] = {}
    raw: dict[str, RatingValue] = {}
    for key, state in states.items():
        if GRID_SEP in key or state.value is None:
            continue
        raw[key] = state.value
        values[key] = float(state.value) if isinstance(state.value, int) else None
    points = grid_points(states)
    if points:
        result = score(scheme, {}, points)
        for grid in scheme.grids:
            if grid.id not in points:
                continue
            for member in grid.members:
                complete = not any(
                    cell.endswith(f"/{member.id}") for cell in result.grid_missing[grid.id]
                )
                for scale in member.scales:
                    values[scale.id] = (
                        float(result.grid_totals[grid.id][scale.id]) if complete else None
                    )
    return values, raw


def coded_ratings(
    ws: Workspace,
    scheme_id: str,
    viewer: str,
    clip_ids: Sequence[int] | None = None,
    submitted_only: bool = True,
) -> CodedRatings:
    """Every double-coded clip's ratings of the scheme that the blind rule lets be shown.

    A clip in ``clip_ids`` that open blind runs hold back raises BlindError naming them.
    """
    scheme = current_scheme(ws, scheme_id)
    order = _clip_order(ws)
    wanted = set(clip_ids) if clip_ids is not None else None
    if wanted is not None:
        unknown = sorted(wanted - set(order))
        if unknown:
            raise NotFoundError(f"clip {', '.join(map(str, unknown))}: no such clip in {ws.label}")
    versions: dict[int, Scheme] = {}
    with ws.sessions() as db:
        every = _runs(db, scheme_id, submitted_only=False)
        considered = [r for r in every if r.status is RunStatus.SUBMITTED or not submitted_only]
        by_clip: dict[int, list[_Run]] = {}
        for run in _latest(considered).values():
            by_clip.setdefault(run.clip_id, []).append(run)
        open_blind: dict[int, list[PendingRun]] = {}
        for run in every:
            if run.blind and run.status is not RunStatus.SUBMITTED:
                open_blind.setdefault(run.clip_id, []).append(
                    PendingRun(run.id, run.coder, run.status)
                )
        candidates = wanted if wanted is not None else set(by_clip) | set(open_blind)
        pending: dict[int, list[PendingRun]] = {}
        used: list[int] = []
        for clip_id in sorted(candidates, key=lambda c: order.get(c, len(order))):
            if clip_id in open_blind:
                if wanted is not None:
                    check_clip_complete(db, clip_id, scheme_id)
                pending[clip_id] = open_blind[clip_id]
                continue
            if len(by_clip.get(clip_id, [])) < 2:
                continue
            for run in by_clip[clip_id]:
                check_may_view(db, clip_id, scheme_id, run.coder, viewer)
                if run.scheme_row not in versions:
                    row = db.get_one(SchemeRow, run.scheme_row)
                    versions[run.scheme_row] = (
                        scheme
                        if row.content_hash == scheme.content_hash
                        else stored_scheme(ws, row)
                    )
            used.append(clip_id)
    coders = sorted({r.coder for c in used for r in by_clip[c]}, key=lambda n: (n.casefold(), n))
    values: dict[str, dict[str, dict[str, float | None]]] = {}
    raw: dict[tuple[str, str], dict[str, RatingValue]] = {}
    runs: dict[tuple[int, str], int] = {}
    submitted: dict[tuple[int, str], dt.datetime | None] = {}
    seen_items: set[str] = set()
    for clip_id in used:
        unit = str(clip_id)
        for run in by_clip[clip_id]:
            run_values, run_raw = _run_values(versions[run.scheme_row], coding.ratings(ws, run.id))
            for item, value in run_values.items():
                values.setdefault(item, {}).setdefault(unit, {})[run.coder] = value
                seen_items.add(item)
            if run_raw:
                raw[(unit, run.coder)] = run_raw
            runs[(clip_id, run.coder)] = run.id
            submitted[(clip_id, run.coder)] = run.submitted_at
    item_order = [i.id for i in scheme.ratings.items] if scheme.ratings else []
    item_order += list(grid_scale_maxima(scheme))
    items = sorted(
        seen_items,
        key=lambda i: (item_order.index(i) if i in item_order else len(item_order), i),
    )
    table = RatingsTable(coders, [str(c) for c in used], items, values, raw)
    return CodedRatings(scheme, table, used, runs, submitted, pending)


def scale_values(scheme: Scheme, item_id: str) -> list[float] | None:
    """The values an item or grid scale can take (None for an item the scheme lacks)."""
    maxima = grid_scale_maxima(scheme)
    if item_id in maxima:
        return [float(v) for v in range(maxima[item_id] + 1)]
    if scheme.ratings is None:
        return None
    for item in scheme.ratings.items:
        if item.id == item_id:
            return [float(v) for v in range(item.scale_min, item.scale_max + 1)]
    return None


def _matrix(
    by_unit: dict[str, dict[str, float | None]], units: list[str], coders: list[str]
) -> list[list[float | None]]:
    return [[by_unit.get(u, {}).get(c) for c in coders] for u in units if u in by_unit]


def table_report(
    table: RatingsTable, scheme: Scheme, reference: str | None = None
) -> dict[str, Any]:
    """``{"coders", "items", "total", "pooled"}`` of a ratings table, computed exactly as
    ``vfa.services.reliability.ratings_report`` computes it for a ratings file."""
    if reference is not None and reference not in table.coders:
        known = ", ".join(table.coders) or "none"
        raise InvalidInputError(f"reference coder {reference!r} not found (coders: {known})")
    coders = table.coders
    ref = coders.index(reference) if reference is not None else None

    def stats(matrix: list[list[float | None]], scale: list[float] | None) -> dict[str, Any]:
        return rating_stats(matrix, scale, ref, coders).as_dict()

    items = {
        item: stats(
            _matrix(table.values.get(item, {}), table.units, coders), scale_values(scheme, item)
        )
        for item in table.items
    }
    pooled_rows = [
        row
        for item in table.items
        for row in _matrix(table.values.get(item, {}), table.units, coders)
    ]
    pooled_scale = None
    if scheme.ratings is not None and not grid_scale_maxima(scheme):
        pooled_scale = sorted({v for i in table.items for v in scale_values(scheme, i) or []})
    total = None
    if scheme.ratings is not None:
        totals = {key: score(scheme, ratings).total for key, ratings in table.raw.items()}
        matrix = [[totals.get((u, c)) for c in coders] for u in table.units]
        total = stats(matrix, None)
    return {
        "coders": coders,
        "items": items,
        "total": total,
        "pooled": stats(pooled_rows, pooled_scale),
    }


def ratings_agreement(
    ws: Workspace,
    scheme_id: str,
    viewer: str,
    reference: str | None = None,
    clip_ids: Sequence[int] | None = None,
    submitted_only: bool = True,
) -> dict[str, Any]:
    """Agreement on the scheme's ratings over its double-coded clips.

    ``{"scheme", "coders", "items": {ITEM: STATS}, "total": STATS | None, "pooled": STATS,
    "clips": [clip id, ...], "pending": [{"clip_id", "runs": [{"run_id", "coder",
    "status"}]}]}``: the keys of ``ratings_report`` (STATS is ``RatingStats.as_dict()``)
    plus the clips used and those held back by open blind runs.
    """
    coded = coded_ratings(ws, scheme_id, viewer, clip_ids, submitted_only)
    if reference is not None and reference not in coded.table.coders:
        known = ", ".join(coded.table.coders) or "none"
        raise InvalidInputError(
            f"scheme {scheme_id}: reference coder {reference!r} has no double-coded clip "
            f"(coders: {known})"
        )
    report = table_report(coded.table, coded.scheme, reference)
    return {
        "scheme": scheme_id,
        **report,
        "clips": coded.clips,
        "pending": [
            {
                "clip_id": clip_id,
                "runs": [
                    {"run_id": p.run_id, "coder": p.coder, "status": p.status.value} for p in runs
                ],
            }
            for clip_id, runs in coded.pending.items()
        ],
    }


# -- events ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairedEvent:
    """One coder's event in a pair: its run, annotation and span."""

    run_id: int
    annotation_id: int
    code: str
    subject: str | None
    start_ms: int
    end_ms: int | None  # None: a point event

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "annotation_id": self.annotation_id,
            "code": self.code,
            "subject": self.subject,
            "start_ms": self.start_ms,
            "end_ms": self.end_ms,
        }


@dataclass(frozen=True)
class EventPair:
    """A place where the two coders agree or not: ``match`` (same code), ``code``
    (paired, other code), ``missing_first`` / ``missing_second`` (that coder has no
    event there)."""

    kind: str
    first: PairedEvent | None
    second: PairedEvent | None

    @property
    def start_ms(self) -> int:
        """Where a player should go to show this pair: its earlier onset."""
        return min(e.start_ms for e in (self.first, self.second) if e is not None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start_ms": self.start_ms,
            "first": self.first.as_dict() if self.first else None,
            "second": self.second.as_dict() if self.second else None,
        }


@dataclass(frozen=True)
class ClipEventAgreement:
    """Two coders' events on one clip: the statistics and the pairs in time order."""

    clip_id: int
    scheme_id: str
    coders: tuple[str, str]
    run_ids: tuple[int, int]
    duration_ms: int
    unit_ms: int
    overlap: float | None
    tolerance_ms: int | None
    time_unit: dict[str, Any]
    event: dict[str, Any]
    pairs: list[EventPair]
    time_result: TimeUnitResult
    event_result: EventResult

    def as_dict(self) -> dict[str, Any]:
        return {
            "clip_id": self.clip_id,
            "scheme": self.scheme_id,
            "coders": list(self.coders),
            "run_ids": list(self.run_ids),
            "duration_ms": self.duration_ms,
            "time_unit": self.time_unit,
            "event": self.event,
            "pairs": [p.as_dict() for p in self.pairs],
        }


def event_label(code: str, subject: str | None, several: bool = True) -> str:
    """The category an event counts as: its code, told apart by the subject when the code
    may be recorded for ``several`` subjects."""
    return code if subject is None or not several else f"{subject}:{code}"


def _multi_subject_codes(scheme: Scheme) -> set[str]:
    """The codes a scheme allows for more than one subject."""
    if scheme.ethogram is None:
        return set()
    return {c.id for c in scheme.ethogram.codes if len(c.subjects) > 1}


def _check_settings(unit_ms: int, overlap: float, tolerance_ms: int | None) -> None:
    if unit_ms <= 0:
        raise InvalidInputError(f"the time unit must be at least 1 ms, not {unit_ms}")
    if not 0 < overlap <= 1:
        raise InvalidInputError(f"the overlap must be above 0 and at most 1, not {overlap}")
    if tolerance_ms is not None and tolerance_ms < 0:
        raise InvalidInputError(f"the onset tolerance must be 0 ms or more, not {tolerance_ms}")


def _annotations(db: DbSession, run_id: int, duration_ms: int) -> list[PairedEvent]:
    rows = db.execute(
        select(
            Annotation.id,
            Annotation.code,
            Annotation.subject,
            Annotation.start_ms,
            Annotation.end_ms,
        )
        .where(Annotation.run_id == run_id)
        .order_by(Annotation.start_ms, Annotation.id)
    ).all()
    out = []
    for id_, code, subject, start, end in rows:
        if end is None:  # a state still running: to the clip's end
            end = duration_ms if duration_ms > start else start
        out.append(PairedEvent(run_id, id_, code, subject, start, None if end == start else end))
    return out


def _domain(events: Sequence[PairedEvent], several: set[str]) -> list[Event]:
    return [
        Event(event_label(e.code, e.subject, e.code in several), e.start_ms, e.end_ms)
        for e in events
    ]


def event_agreement_for_clip(
    ws: Workspace,
    clip_id: int,
    scheme_id: str,
    coders: tuple[str, str],
    viewer: str,
    unit_ms: int = 1000,
    overlap: float = 0.6,
    tolerance_ms: int | None = None,
    submitted_only: bool = True,
) -> ClipEventAgreement:
    """Time-unit and event agreement of two coders on one clip, and the paired events.

    Refused (BlindError) while a blind run on the clip is open; NotFoundError when a
    coder has no (submitted) run of the scheme there.
    """
    _check_settings(unit_ms, overlap, tolerance_ms)
    first_name, second_name = coders
    if first_name == second_name:
        raise InvalidInputError(f"event agreement needs two different coders, not {first_name}")
    with ws.sessions() as db:
        clip = db.get(Clip, clip_id)
        if clip is None:
            raise NotFoundError(f"clip {clip_id}: no such clip in {ws.label}")
        duration = clip.duration_ms
        chosen = _latest([r for r in _runs(db, scheme_id, submitted_only) if r.clip_id == clip_id])
        found = []
        for name in coders:
            run = chosen.get((clip_id, name))
            if run is None:
                state = "submitted " if submitted_only else ""
                raise NotFoundError(
                    f"clip {clip_id}: {name} has no {state}coding run of scheme {scheme_id}"
                )
            found.append(run)
        check_clip_complete(db, clip_id, scheme_id)
        for run in found:
            check_may_view(db, clip_id, scheme_id, run.coder, viewer)
        first = _annotations(db, found[0].id, duration)
        second = _annotations(db, found[1].id, duration)
    several = _multi_subject_codes(current_scheme(ws, scheme_id))
    a, b = _domain(first, several), _domain(second, several)
    time_result = time_unit_agreement(a, b, duration, unit_ms)
    event_result = event_agreement(a, b, overlap, tolerance_ms)
    pairs = []
    for i, j in pair_events(a, b, overlap, tolerance_ms):
        if i is None:
            kind = "missing_first"
        elif j is None:
            kind = "missing_second"
        else:
            kind = "match" if a[i].code == b[j].code else "code"
        pairs.append(
            EventPair(
                kind,
                first[i] if i is not None else None,
                second[j] if j is not None else None,
            )
        )
    return ClipEventAgreement(
        clip_id,
        scheme_id,
        (first_name, second_name),
        (found[0].id, found[1].id),
        duration,
        unit_ms,
        overlap if tolerance_ms is None else None,
        tolerance_ms,
        {"unit_ms": unit_ms, **time_result.as_dict()},
        {
            "overlap": overlap if tolerance_ms is None else None,
            "tolerance_ms": tolerance_ms,
            **event_result.as_dict(),
        },
        pairs,
        time_result,
        event_result,
    )


@dataclass(frozen=True)
class DoubleCoded:
    """A clip with two or more submitted runs of a scheme."""

    clip_id: int
    coders: tuple[str, ...]
    run_ids: tuple[int, ...]
    pending: tuple[PendingRun, ...]  # open blind runs: agreement is not shown yet


def double_coded(ws: Workspace, scheme_id: str) -> list[DoubleCoded]:
    """The clips coded (and submitted) by two or more coders with the scheme, in
    catalogue order, each with the open blind runs that still hold its agreement back."""
    order = _clip_order(ws)
    with ws.sessions() as db:
        chosen = _latest(_runs(db, scheme_id, submitted_only=True))
        by_clip: dict[int, list[_Run]] = {}
        for run in chosen.values():
            by_clip.setdefault(run.clip_id, []).append(run)
        out = []
        for clip_id in sorted(by_clip, key=lambda c: order.get(c, len(order))):
            runs = sorted(by_clip[clip_id], key=lambda r: (r.coder.casefold(), r.coder))
            if len(runs) < 2:
                continue
            out.append(
                DoubleCoded(
                    clip_id,
                    tuple(r.coder for r in runs),
                    tuple(r.id for r in runs),
                    tuple(pending_blind_runs(db, clip_id, scheme_id)),
                )
            )
    return out


def events_agreement(
    ws: Workspace,
    scheme_id: str,
    viewer: str,
    coders: tuple[str, str] | None = None,
    unit_ms: int = 1000,
    overlap: float = 0.6,
    tolerance_ms: int | None = None,
) -> dict[str, Any]:
    """Event agreement pooled over the scheme's double-coded clips, shaped like
    ``vfa.services.reliability.events_report`` (units are clip ids as text).

    With ``coders`` only clips both coded count; without, clips with exactly two
    submitted runs. Clips held back by open blind runs, or with more than two coders
    when none were named, are listed under ``skipped`` with the reason.
    """
    _check_settings(unit_ms, overlap, tolerance_ms)
    per_time: dict[str, TimeUnitResult] = {}
    per_event: dict[str, EventResult] = {}
    names: dict[str, list[str]] = {}
    skipped: list[dict[str, Any]] = []
    for clip in double_coded(ws, scheme_id):
        if clip.pending:
            skipped.append(
                {"clip_id": clip.clip_id, "reason": f"pending: {pending_text(clip.pending)}"}
            )
            continue
        if coders is not None:
            if not set(coders) <= set(clip.coders):
                continue
            pair = coders
        elif len(clip.coders) == 2:
            pair = (clip.coders[0], clip.coders[1])
        else:
            skipped.append(
                {
                    "clip_id": clip.clip_id,
                    "reason": f"{len(clip.coders)} coders ({', '.join(clip.coders)}); "
                    "name the two to compare",
                }
            )
            continue
        result = event_agreement_for_clip(
            ws, clip.clip_id, scheme_id, pair, viewer, unit_ms, overlap, tolerance_ms
        )
        unit = str(clip.clip_id)
        names[unit] = list(pair)
        per_time[unit] = result.time_result
        per_event[unit] = result.event_result
    if not per_time:
        raise InvalidInputError(
            f"scheme {scheme_id}: no clip is double-coded and complete"
            + (f" by {coders[0]} and {coders[1]}" if coders else "")
            + (f" ({len(skipped)} held back)" if skipped else "")
        )
    return {
        "scheme": scheme_id,
        "coders": names,
        **pooled_events(per_time, per_event, unit_ms, overlap, tolerance_ms),
        "skipped": skipped,
    }
