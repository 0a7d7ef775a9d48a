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
The agreement is ``vfa.domain.ratings_agreement.table_agreement``'s, the function the
ratings CSV uses, so the same ratings give the same result: coders are listed in
alphabetical order, clips in catalogue order.

Events: ``vfa.services.event_reliability`` (it chooses runs the same way).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from vfa.domain.ratings_agreement import RatingsAgreement, grid_scale_maxima, table_agreement
from vfa.domain.ratings_table import RatingsTable, TableBuilder
from vfa.domain.schemes import Scheme
from vfa.domain.scoring import RatingValue, score
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services import coding
from vfa.services.assignments import (
    PendingRun,
    check_clip_complete,
    check_may_view,
)
from vfa.services.clips import catalog
from vfa.services.coding import GRID_SEP, grid_points
from vfa.services.people import Act
from vfa.services.permissions import require_in
from vfa.services.reliability import check_size
from vfa.services.schemes import SchemeLookup, current_scheme, get_scheme, stored_scheme
from vfa.storage.models import Coder, CodingRun, RunStatus
from vfa.storage.models import Scheme as SchemeRow
from vfa.storage.workspace import Workspace


@dataclass(frozen=True)
class RunRow:
    id: int
    clip_id: int
    coder: str
    scheme_row: int
    status: RunStatus
    blind: bool
    submitted_at: dt.datetime | None


def clip_order(ws: Workspace) -> dict[int, int]:
    order = [k.id for c in catalog(ws) for s in c.sessions for k in s.clips]
    return {clip_id: n for n, clip_id in enumerate(order)}


def scheme_runs(db: DbSession, scheme_id: str, submitted_only: bool) -> list[RunRow]:
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
        RunRow(id_, clip, coder, row, RunStatus(status), blind, at)
        for id_, clip, coder, row, status, blind, at in db.execute(query).all()
    ]


def latest_runs(runs: Sequence[RunRow]) -> dict[tuple[int, str], RunRow]:
    """One run per clip and coder: the latest submitted, else the newest."""
    chosen: dict[tuple[int, str], RunRow] = {}
    for run in runs:
        key = (run.clip_id, run.coder)
        before = chosen.get(key)
        if before is None or _rank(run) >= _rank(before):
            chosen[key] = run
    return chosen


def _rank(run: RunRow) -> tuple[bool, dt.datetime, int]:
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
    find_scheme: SchemeLookup = get_scheme,
    *,
    asker: str | None = None,
) -> CodedRatings:
    """Every double-coded clip's ratings of the scheme that the blind rule lets be shown.

    A clip in ``clip_ids`` that open blind runs hold back raises BlindError naming them;
    ``find_scheme`` looks the scheme up (a library read once, else the folders now).
    Agreement across coders is for a supervisor or admin on a managed workspace: the
    person asking is ``asker``, else ``viewer``.
    """
    require_in(ws, Act.SEE_AGREEMENT, asker or viewer)
    scheme = current_scheme(ws, scheme_id, find_scheme)
    order = clip_order(ws)
    wanted = set(clip_ids) if clip_ids is not None else None
    if wanted is not None:
        unknown = sorted(wanted - set(order))
        if unknown:
            raise NotFoundError(f"clip {', '.join(map(str, unknown))}: no such clip in {ws.label}")
    versions: dict[int, Scheme] = {}
    with ws.sessions() as db:
        every = scheme_runs(db, scheme_id, submitted_only=False)
        considered = [r for r in every if r.status is RunStatus.SUBMITTED or not submitted_only]
        by_clip: dict[int, list[RunRow]] = {}
        for run in latest_runs(considered).values():
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
    build = TableBuilder()
    for coder in coders:
        build.coders.number(coder)
    runs: dict[tuple[int, str], int] = {}
    submitted: dict[tuple[int, str], dt.datetime | None] = {}
    item_order = [i.id for i in scheme.ratings.items] if scheme.ratings else []
    item_order += list(grid_scale_maxima(scheme))
    for clip_id in used:
        unit = str(clip_id)
        build.units.number(unit)
        for run in by_clip[clip_id]:
            run_values, run_raw = _run_values(
                versions[run.scheme_row], coding.ratings(ws, run.id, run.coder)
            )  # check_may_view passed above
            for item, value in sorted(run_values.items()):
                numbers = build.name(unit, run.coder, item)
                build.add(*numbers, math.nan if value is None else value)
            if run_raw:
                build.raw[(unit, run.coder)] = run_raw
            runs[(clip_id, run.coder)] = run.id
            submitted[(clip_id, run.coder)] = run.submitted_at
    table = build.table(item_order)
    return CodedRatings(scheme, table, used, runs, submitted, pending)


@dataclass(frozen=True)
class PendingClip:
    """A clip held back from agreement until its open blind runs are submitted."""

    clip_id: int
    runs: tuple[PendingRun, ...]


@dataclass(frozen=True)
class WorkspaceAgreement:
    """Agreement on a scheme's ratings over its double-coded clips, the clips used and
    those held back by open blind runs."""

    scheme: str
    agreement: RatingsAgreement
    clips: tuple[int, ...]
    pending: tuple[PendingClip, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """``{"scheme", "coders", "items", "total", "pooled", "clips", "pending":
        [{"clip_id", "runs": [{"run_id", "coder", "status"}]}]}``."""
        return {
            "scheme": self.scheme,
            **self.agreement.as_dict(),
            "clips": list(self.clips),
            "pending": [
                {
                    "clip_id": p.clip_id,
                    "runs": [
                        {"run_id": r.run_id, "coder": r.coder, "status": r.status.value}
                        for r in p.runs
                    ],
                }
                for p in self.pending
            ],
        }


def ratings_agreement(
    ws: Workspace,
    scheme_id: str,
    viewer: str,
    reference: str | None = None,
    clip_ids: Sequence[int] | None = None,
    submitted_only: bool = True,
    find_scheme: SchemeLookup = get_scheme,
) -> WorkspaceAgreement:
    """Agreement on the scheme's ratings over its double-coded clips: the same function
    as the ratings CSV (``table_agreement``), so the same ratings give the same numbers."""
    coded = coded_ratings(ws, scheme_id, viewer, clip_ids, submitted_only, find_scheme)
    if reference is not None and reference not in coded.table.coders:
        known = ", ".join(coded.table.coders) or "none"
        raise InvalidInputError(
            f"scheme {scheme_id}: reference coder {reference!r} has no double-coded clip "
            f"(coders: {known})"
        )
    source = f"scheme {scheme_id}"
    check_size(coded.table, source)
    return WorkspaceAgreement(
        scheme_id,
        table_agreement(coded.table, coded.scheme, reference, source),
        tuple(coded.clips),
        tuple(PendingClip(c, tuple(runs)) for c, runs in coded.pending.items()),
    )


# -- events ------------------------------------------------------------------------------
