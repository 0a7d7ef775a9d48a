"""Certifying coders and catching drift: a coder's agreement with a reference coder over time.

A scheme's criterion (stored in the workspace, else a default) names a statistic, the
value it must reach, a window of recent clips and, optionally, one item or grid scale.

Each clip both coders submitted (and whose blind runs are all submitted) is a point,
ordered by the later of the two submissions. Its ``value`` is the statistic over that
clip's items for the two coders (KIPS: 12 items rated 1–5, so kappa or an ICC per clip is
computable); with a criterion on one item the clip has a single unit and no per-clip
value. Its ``rolling`` value is the statistic over the last ``window`` clips up to it,
their (clip, item) units pooled; None until ``window`` clips exist. Pearson r is the
coder's r against the reference.

Status: "reliable" when the latest rolling value meets the threshold; "drifted" when it
does not but an earlier rolling value did; "not yet" when none ever did (including too
few clips for a first window). A statistic that cannot be computed (None: e.g. kappa when
both coders gave every item the same value) does not meet the threshold.

Defaults (used while no criterion is stored; each is a stated placeholder to be set by the
service): KIPS — ICC(2,1) ≥ .70 over 5 clips, all items (KIPS's own certification
criterion is not public); CARE-Index — Pearson r ≥ .70 with the trainer on the adult's
Sensitivity total over 10 clips (the usual bar [unverified]); any other scheme — ICC(2,1)
≥ .70 over 5 clips, all items.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from vfa.domain.agreement import as_matrix
from vfa.domain.rating_statistics import Ratings, Statistic, pair_statistics
from vfa.domain.ratings_agreement import scale_values
from vfa.domain.schemes import Scheme
from vfa.errors import InvalidInputError
from vfa.services.audit import current_actor, record
from vfa.services.people import Act, require
from vfa.services.reliability_runs import CodedRatings, coded_ratings
from vfa.services.schemes import SchemeLookup, current_scheme, get_scheme
from vfa.services.viewer import current_viewer
from vfa.storage.models import ReliabilityCriterion
from vfa.storage.workspace import Workspace

STATUSES = ("reliable", "not yet", "drifted")


@dataclass(frozen=True)
class Criterion:
    """What a coder's agreement with the reference must reach, and where it comes from."""

    scheme_id: str
    statistic: str
    threshold: float
    window: int
    item: str | None = None  # None: the scheme's items pooled
    stored: bool = False  # False: a default (see ``note``)
    note: str | None = None
    updated_by: str | None = None
    updated_at: dt.datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme_id,
            "statistic": self.statistic,
            "threshold": self.threshold,
            "window": self.window,
            "item": self.item,
            "stored": self.stored,
            "note": self.note,
            "updated_by": self.updated_by,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


PLACEHOLDER = "a placeholder default: set the service's own criterion (vfa criterion set)"
DEFAULTS: dict[str, Criterion] = {
    "kips": Criterion(
        "kips",
        "icc_2_1",
        0.70,
        5,
        note="KIPS's certification criterion is not public; ICC(2,1) >= .70 is " + PLACEHOLDER,
    ),
    "care_index_infant": Criterion(
        "care_index_infant",
        "pearson_r",
        0.70,
        10,
        item="sensitivity",
        note="r >= .70 with the trainer on Sensitivity is the usual CARE-Index bar "
        "[unverified]; " + PLACEHOLDER,
    ),
}


def default_criterion(scheme_id: str) -> Criterion:
    """The default criterion of a scheme (see the module's notes)."""
    found = DEFAULTS.get(scheme_id)
    if found is not None:
        return found
    return Criterion(scheme_id, "icc_2_1", 0.70, 5, note="ICC(2,1) >= .70 is " + PLACEHOLDER)


def criterion(ws: Workspace, scheme_id: str) -> Criterion:
    """The scheme's stored criterion, else its default."""
    with ws.sessions() as db:
        row = db.get(ReliabilityCriterion, scheme_id)
        if row is None:
            return default_criterion(scheme_id)
        return Criterion(
            row.scheme_key,
            row.statistic,
            row.threshold,
            row.window,
            row.item,
            stored=True,
            updated_by=row.updated_by,
            updated_at=row.updated_at,
        )


def criterion_statistic(key: str, where: str = "criterion") -> Statistic:
    """The statistic a criterion names, from the registry of statistics
    (``vfa.domain.rating_statistics.pair_statistics``); refused naming ``where`` and the
    statistics there are."""
    for statistic in pair_statistics():
        if statistic.key == key:
            return statistic
    known = ", ".join(s.key for s in pair_statistics())
    raise InvalidInputError(f"{where}: unknown statistic {key!r} (one of {known})")


def _check_item(scheme: Scheme, item: str) -> None:
    if scale_values(scheme, item) is None:
        known = [i.id for i in scheme.ratings.items] if scheme.ratings else []
        known += [s.id for g in scheme.grids for m in g.members for s in m.scales]
        raise InvalidInputError(
            f"scheme {scheme.id}: no item or grid scale {item!r} (known: {', '.join(known)})"
        )


def set_criterion(
    ws: Workspace,
    scheme_id: str,
    statistic: str,
    threshold: float,
    window: int | None = None,
    item: str | None = None,
    by: str | None = None,
    find_scheme: SchemeLookup = get_scheme,
) -> Criterion:
    """Store the scheme's criterion (replacing any earlier one; audited) and return it.

    ``window`` None keeps the stored window, else the default's; ``find_scheme`` looks
    the scheme up to check ``item`` (a library read once, else the folders now).
    """
    criterion_statistic(statistic)
    if not math.isfinite(threshold) or not -1 <= threshold <= 1:
        raise InvalidInputError(f"criterion: the threshold must be from -1 to 1, not {threshold}")
    if window is not None and window < 1:
        raise InvalidInputError(f"criterion: the window must be 1 clip or more, not {window}")
    if item is not None:
        _check_item(current_scheme(ws, scheme_id, find_scheme), item)
    actor = by or current_actor()
    with ws.writes.begin() as db:
        require(db, Act.ASSIGN, by)
        row = db.get(ReliabilityCriterion, scheme_id)
        before = (
            {
                "statistic": row.statistic,
                "threshold": row.threshold,
                "window": row.window,
                "item": row.item,
            }
            if row is not None
            else None
        )
        if row is None:
            row = ReliabilityCriterion(scheme_key=scheme_id)
            db.add(row)
            row.window = window if window is not None else default_criterion(scheme_id).window
        elif window is not None:
            row.window = window
        row.statistic, row.threshold, row.item = statistic, float(threshold), item
        row.updated_by, row.updated_at = actor, dt.datetime.now(dt.UTC)
        to = {"statistic": statistic, "threshold": row.threshold, "window": row.window}
        record(
            db,
            "set",
            "reliability_criterion",
            None,
            {"scheme": scheme_id, "from": before, "to": {**to, "item": item}},
            actor=actor,
        )
    return criterion(ws, scheme_id)


@dataclass(frozen=True)
class TrackPoint:
    """One clip both coders submitted, in the order the later of them submitted."""

    at: dt.datetime | None
    clip_id: int
    value: float | None  # the statistic over this clip's items
    rolling: float | None  # over the last ``window`` clips up to this one
    n_units: int  # this clip's units rated by both

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.at.isoformat() if self.at else None,
            "clip_id": self.clip_id,
            "value": self.value,
            "rolling": self.rolling,
            "n_units": self.n_units,
        }


@dataclass(frozen=True)
class CoderTrack:
    """A coder's agreement with the reference over time and what it says."""

    scheme_id: str
    coder: str
    reference: str
    criterion: Criterion
    points: list[TrackPoint]
    status: str  # one of STATUSES

    @property
    def latest(self) -> float | None:
        """The latest rolling value (None when there is none)."""
        return self.points[-1].rolling if self.points else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme_id,
            "coder": self.coder,
            "reference": self.reference,
            "criterion": self.criterion.as_dict(),
            "status": self.status,
            "latest": self.latest,
            "points": [p.as_dict() for p in self.points],
        }


def statistic_value(
    rows: list[list[float | None]],
    statistic: str,
    categories: list[float] | None,
    coder: str,
    reference: str,
) -> float | None:
    """One statistic of a units × [coder, reference] matrix (Pearson r: the coder's r),
    computed as the registry says (``criterion_statistic``)."""
    computation = criterion_statistic(statistic).compute
    if not rows:
        return None
    ratings = Ratings(as_matrix(rows), categories, 1, [coder, reference], bootstrap=False)
    value, _ci = computation(ratings)
    return float(value) if value is not None else None


def _units(
    coded: CodedRatings, items: list[str], clip_id: int, coder: str, reference: str
) -> list[list[float | None]]:
    unit = str(clip_id)
    rows = []
    for item in items:
        by_coder = coded.table.values.get(item, {}).get(unit, {})
        rows.append([by_coder.get(coder), by_coder.get(reference)])
    return rows


def status_of(rolling: list[float | None], threshold: float) -> str:
    """ "reliable", "drifted" or "not yet" from the rolling values in time order."""
    met = [value is not None and value >= threshold for value in rolling]
    if met and met[-1]:
        return "reliable"
    return "drifted" if any(met) else "not yet"


def track(
    ws: Workspace,
    scheme_id: str,
    coder: str,
    reference: str,
    rule: Criterion | None = None,
    find_scheme: SchemeLookup = get_scheme,
) -> CoderTrack:
    """The coder's agreement with the reference, clip by clip, and their status.

    ``rule`` overrides the scheme's criterion (else ``criterion(ws, scheme_id)``);
    ``find_scheme`` looks the scheme up (a library read once, else the folders now).
    """
    if coder == reference:
        raise InvalidInputError(f"certification: {coder} cannot be their own reference")
    chosen = rule or criterion(ws, scheme_id)
    # a stored statistic no longer registered is refused before anything is computed
    criterion_statistic(chosen.statistic, f"scheme {scheme_id}: the criterion")
    # the blind rule reads as the reference; the role checked is the asker's
    coded = coded_ratings(
        ws, scheme_id, viewer=reference, find_scheme=find_scheme, asker=current_viewer()
    )
    scheme = coded.scheme
    if chosen.item is not None:
        _check_item(scheme, chosen.item)
        items = [chosen.item]
        categories = scale_values(scheme, chosen.item)
    else:
        items = list(coded.table.items)
        categories = None
        if scheme.ratings is not None and not scheme.grids:
            categories = sorted({v for i in items for v in scale_values(scheme, i) or []})
    both = [c for c in coded.clips if (c, coder) in coded.runs and (c, reference) in coded.runs]

    def later(clip_id: int) -> tuple[dt.datetime, int]:
        stamps = [coded.submitted_at[(clip_id, name)] for name in (coder, reference)]
        known = [s.replace(tzinfo=None) for s in stamps if s is not None]
        return (max(known) if known else dt.datetime.min, clip_id)

    both.sort(key=later)
    points = []
    windows: list[float | None] = []  # the rolling value of each full window
    for n, clip_id in enumerate(both):
        rows = _units(coded, items, clip_id, coder, reference)
        value = statistic_value(rows, chosen.statistic, categories, coder, reference)
        rolling = None
        if n + 1 >= chosen.window:
            pooled = [
                row
                for earlier in both[n + 1 - chosen.window : n + 1]
                for row in _units(coded, items, earlier, coder, reference)
            ]
            rolling = statistic_value(pooled, chosen.statistic, categories, coder, reference)
            windows.append(rolling)
        stamps = [coded.submitted_at[(clip_id, name)] for name in (coder, reference)]
        at = max((s for s in stamps if s is not None), default=None)
        rated = sum(1 for a, b in rows if a is not None and b is not None)
        points.append(TrackPoint(at, clip_id, value, rolling, rated))
    status = status_of(windows, chosen.threshold)
    return CoderTrack(scheme_id, coder, reference, chosen, points, status)
