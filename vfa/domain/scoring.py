"""Scores: checked ratings, the aggregate and its band, grid totals and their bands.

Band edges: bands are ordered by ``min``; each covers [its min, the next band's min), and
the last one [its min, its max]. So with KIPS's published bands 1.0–2.9, 3.0–3.9 and
4.0–5.0, a mean of 2.95 is low ([1.0, 3.0)), 3.0 is moderate and 5.0 is high. A score
below the first band or above the last has no band. Scores are not rounded first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from vfa.domain.schemes import Band, Grid, RatingItem, Scheme
from vfa.errors import InvalidInputError, NotFoundError

RatingValue = int | str  # a scale point or a special code such as "NOB"


@dataclass(frozen=True)
class ItemCheck:
    """A rating that passed its item's check, and what it adds to the aggregate."""

    item_id: str
    value: RatingValue
    counted: int | None  # None: a special code excluded from the aggregate


@dataclass(frozen=True)
class ScoreResult:
    total: float | None  # the aggregate; None when no rating counts
    band: str | None
    missing: tuple[str, ...]  # items without any rating (a special code is a rating)
    counted: int  # ratings that entered the aggregate
    grid_totals: dict[str, dict[str, int]]  # grid -> scale -> points
    grid_bands: dict[str, str | None]  # grid -> band of its band_scale's total
    grid_missing: dict[str, tuple[str, ...]]  # grid -> "row/member" cells not filled in


def allowed_values(item: RatingItem) -> str:
    """The values an item takes, as a person reads them: ``1–5 or NOB``."""
    text = f"{item.scale_min}–{item.scale_max}"
    if item.special:
        text += " or " + ", ".join(s.code for s in item.special)
    return text


def check_item(item: RatingItem, value: RatingValue) -> ItemCheck:
    """Check one value against its item; InvalidInputError names item, value and choices."""
    if isinstance(value, int) and not isinstance(value, bool):
        if item.scale_min <= value <= item.scale_max:
            return ItemCheck(item.id, value, value)
    elif isinstance(value, str):
        for special in item.special:
            if special.code == value:
                counted = 0 if special.counts_as == "zero" else None
                return ItemCheck(item.id, value, counted)
    raise InvalidInputError(
        f"item {item.id} ({item.name}): {value!r} is not a rating; allowed: {allowed_values(item)}"
    )


def check_rating(scheme: Scheme, item_id: str, value: RatingValue) -> None:
    """Refuse (InvalidInputError) a value the item does not allow, or an unknown item."""
    check_item(_item(scheme, item_id), value)


def _item(scheme: Scheme, item_id: str) -> RatingItem:
    try:
        return scheme.item(item_id)
    except NotFoundError as exc:
        raise InvalidInputError(str(exc)) from None


def check_grid_row(grid: Grid, row_id: str, member_id: str, points: Mapping[str, int]) -> None:
    """Refuse a row whose points for a member do not add up, name unknown scales or are < 0."""
    rows = {r.id: r for r in grid.rows}
    if row_id not in rows:
        raise InvalidInputError(f"grid {grid.id}: no row {row_id!r} (rows: {', '.join(rows)})")
    try:
        member = grid.member(member_id)
    except NotFoundError as exc:
        raise InvalidInputError(str(exc)) from None
    where = f"grid {grid.id}, row {rows[row_id].name}, {member.name}"
    scales = [s.id for s in member.scales]
    for scale_id, value in points.items():
        if scale_id not in scales:
            raise InvalidInputError(
                f"{where}: unknown scale {scale_id!r} (scales: {', '.join(scales)})"
            )
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidInputError(
                f"{where}: {scale_id} has {value!r} points; give a whole number, 0 or more"
            )
    given = sum(points.values())
    if given != grid.points_per_row:
        raise InvalidInputError(f"{where}: the points add up to {given}, not {grid.points_per_row}")


def band_for(bands: Iterable[Band], value: float) -> Band | None:
    """The band a score falls in (see the module's note on edges), or None."""
    ordered = sorted(bands, key=lambda b: (b.min, b.max))
    for i, band in enumerate(ordered):
        if value < band.min:
            return None
        if i + 1 < len(ordered):
            if value < ordered[i + 1].min:
                return band
        elif value <= band.max:
            return band
    return None


def score(
    scheme: Scheme,
    ratings: Mapping[str, RatingValue],
    grid_points: Mapping[str, Mapping[str, Mapping[str, Mapping[str, int]]]] | None = None,
) -> ScoreResult:
    """Aggregate, band and what is missing; grid_points[grid][row][member][scale] = points.

    A ``mean`` averages the counted ratings (special codes counting as ``zero`` count as 0,
    ``excluded`` ones do not count); its band is given even while items are missing. A
    ``sum`` is banded only when no item is missing, and a grid's band only when the rows
    of the banded scale's member are all filled in: a partial sum is not comparable.
    Invalid values raise InvalidInputError.
    """
    total: float | None = None
    band: str | None = None
    missing: list[str] = []
    counted: list[int] = []
    section = scheme.ratings
    for item_id in ratings:
        _item(scheme, item_id)
    if section is not None:
        for item in section.items:
            if item.id not in ratings:
                missing.append(item.id)
                continue
            check = check_item(item, ratings[item.id])
            if check.counted is not None:
                counted.append(check.counted)
        if counted:
            total = sum(counted) / len(counted) if section.aggregate == "mean" else sum(counted)
            if section.aggregate == "mean" or not missing:
                found = band_for(section.bands, total)
                band = found.label if found else None
    points = grid_points or {}
    for grid_id in points:
        try:
            scheme.grid(grid_id)
        except NotFoundError as exc:
            raise InvalidInputError(str(exc)) from None
    grids = {grid.id: _score_grid(grid, points.get(grid.id, {})) for grid in scheme.grids}
    return ScoreResult(
        total=float(total) if total is not None else None,
        band=band,
        missing=tuple(missing),
        counted=len(counted),
        grid_totals={g: totals for g, (totals, _, _) in grids.items()},
        grid_bands={g: label for g, (_, label, _) in grids.items()},
        grid_missing={g: cells for g, (_, _, cells) in grids.items()},
    )


def _score_grid(
    grid: Grid, given: Mapping[str, Mapping[str, Mapping[str, int]]]
) -> tuple[dict[str, int], str | None, tuple[str, ...]]:
    totals = {s.id: 0 for m in grid.members for s in m.scales}
    rows, members = {r.id for r in grid.rows}, {m.id for m in grid.members}
    for row_id, by_member in given.items():
        for member_id, row_points in by_member.items():
            # an empty entry is a row not filled in yet, unless it names no known place
            if row_points or row_id not in rows or member_id not in members:
                check_grid_row(grid, row_id, member_id, row_points)
    missing: list[str] = []
    incomplete: set[str] = set()
    for row in grid.rows:
        for member in grid.members:
            cell = given.get(row.id, {}).get(member.id)
            if not cell:
                missing.append(f"{row.id}/{member.id}")
                incomplete.add(member.id)
                continue
            for scale_id, value in cell.items():
                totals[scale_id] += value
    band_label = None
    if grid.band_scale is not None:
        owner = next(m.id for m in grid.members if grid.band_scale in {s.id for s in m.scales})
        if owner not in incomplete:
            found = band_for(grid.bands, totals[grid.band_scale])
            band_label = found.label if found else None
    return totals, band_label, tuple(missing)
