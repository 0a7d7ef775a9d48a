"""Reliability reports from CSV files: agreement on ratings, and on timed events.

Ratings: rows ``unit,coder,item,value`` as for ``vfa score`` (``vfa.services.scoring``): a
header naming the columns, rows numbered as in a spreadsheet (the header is row 1), an
empty value skipped. With a scheme, an item is one of its rating items (1–5, NOB, ...) or
one of its grid scales (0 up to points per row × rows); values are checked as the scorer
checks them. Without a scheme, a value is a number or a special code (letters only, e.g.
NOB). Special codes are missing values for every statistic.

Events: rows ``unit,coder,code,start_ms,end_ms,duration_ms``; ``end_ms`` empty for a point
event; ``duration_ms`` is the clip's length, the same on every row of a unit. A row with
an empty code and empty times says the coder coded the unit and found nothing.

Bad rows raise InvalidInputError "FILE: row N: REASON".
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vfa.domain.agreement import rating_stats
from vfa.domain.event_agreement import (
    Event,
    EventResult,
    TimeUnitResult,
    event_agreement,
    merge_events,
    merge_time_units,
    time_unit_agreement,
)
from vfa.domain.schemes import RatingItem, Scheme
from vfa.domain.scoring import RatingValue, check_item, score
from vfa.errors import InvalidInputError, NotFoundError
from vfa.services.schemes import get_scheme
from vfa.services.scoring import rating_rows, read_rows

EVENT_COLUMNS = ("unit", "coder", "code", "start_ms", "end_ms", "duration_ms")
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_SPECIAL = re.compile(r"^[A-Za-z][A-Za-z_]*$")


# -- ratings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _GridScale:
    id: str
    maximum: int


def _grid_scales(scheme: Scheme) -> dict[str, _GridScale]:
    """A scheme's grid scales by id; a scale's total runs 0 to points per row × rows."""
    return {
        scale.id: _GridScale(scale.id, grid.points_per_row * len(grid.rows))
        for grid in scheme.grids
        for member in grid.members
        for scale in member.scales
    }


def _scheme_value(item: RatingItem, text: str) -> RatingValue:
    """A rating as the scorer reads it: an integer, or a special code in any case."""
    if _INTEGER.match(text):
        return int(text)
    for special in item.special:
        if special.code.casefold() == text.casefold():
            return special.code
    return text


def _rating(
    scheme: Scheme | None, grids: dict[str, _GridScale], item_id: str, text: str
) -> float | None:
    """A rating as a number, None for a special code; InvalidInputError says why not."""
    if scheme is None:
        if _NUMBER.match(text):
            return float(text)
        if _SPECIAL.match(text):
            return None
        raise InvalidInputError(f"{text!r} is neither a number nor a special code such as NOB")
    if item_id in grids:
        scale = grids[item_id]
        if _INTEGER.match(text) and 0 <= int(text) <= scale.maximum:
            return float(int(text))
        raise InvalidInputError(
            f"grid scale {item_id}: {text!r} is not a total; allowed: 0–{scale.maximum}"
        )
    checked = check_item(scheme.item(item_id), _scheme_value(scheme.item(item_id), text))
    return float(checked.value) if isinstance(checked.value, int) else None


@dataclass
class RatingsTable:
    """Ratings read from a file: unit -> coder -> item -> value (None: a special code)."""

    coders: list[str]
    units: list[str]
    items: list[str]
    values: dict[str, dict[str, dict[str, float | None]]]
    raw: dict[tuple[str, str], dict[str, RatingValue]]  # (unit, coder) -> scheme items only


def read_ratings(path: str | os.PathLike[str], scheme: Scheme | None = None) -> RatingsTable:
    """Every rating of a ratings CSV, checked against the scheme when one is given."""
    file = Path(path)
    grids = _grid_scales(scheme) if scheme is not None else {}
    coders: list[str] = []
    units: list[str] = []
    items: list[str] = []
    values: dict[str, dict[str, dict[str, float | None]]] = {}
    raw: dict[tuple[str, str], dict[str, RatingValue]] = {}
    for number, unit, coder, item_id, text in rating_rows(file):
        if scheme is not None and item_id not in grids:
            try:
                scheme.item(item_id)
            except NotFoundError as exc:
                raise InvalidInputError(f"{file}: row {number}: unknown item: {exc}") from None
        for known, name in ((coders, coder), (units, unit), (items, item_id)):
            if name not in known:
                known.append(name)
        if not text:
            continue
        try:
            value = _rating(scheme, grids, item_id, text)
        except InvalidInputError as exc:
            raise InvalidInputError(f"{file}: row {number}: {exc}") from None
        values.setdefault(item_id, {}).setdefault(unit, {})[coder] = value
        if scheme is not None and item_id not in grids:
            raw.setdefault((unit, coder), {})[item_id] = _scheme_value(scheme.item(item_id), text)
    if scheme is not None:
        order = [i.id for i in scheme.ratings.items] if scheme.ratings else []
        order += list(grids)
        items.sort(key=lambda i: order.index(i) if i in order else len(order))
    return RatingsTable(coders, units, items, values, raw)


def _matrix(
    by_unit: dict[str, dict[str, float | None]], units: list[str], coders: list[str]
) -> list[list[float | None]]:
    return [[by_unit.get(u, {}).get(c) for c in coders] for u in units if u in by_unit]


def _scale_values(scheme: Scheme | None, item_id: str) -> list[float] | None:
    if scheme is None:
        return None
    grids = _grid_scales(scheme)
    if item_id in grids:
        return [float(v) for v in range(grids[item_id].maximum + 1)]
    item = scheme.item(item_id)
    return [float(v) for v in range(item.scale_min, item.scale_max + 1)]


def ratings_report(
    path: str | os.PathLike[str], scheme: str | Scheme | None = None, reference: str | None = None
) -> dict[str, Any]:
    """``{"coders", "items": {ITEM: STATS}, "total": STATS | None, "pooled": STATS}``.

    STATS is ``vfa.domain.agreement.RatingStats.as_dict()``. ``total`` is the scheme's
    total per unit and coder (``vfa.domain.scoring.score``: e.g. the KIPS mean without NOB),
    None without a scheme or when the scheme has no rating items. ``pooled`` takes every
    (unit, item) as a unit. ``reference`` names the coder for Pearson r.
    """
    chosen = _scheme(scheme)
    table = read_ratings(path, chosen)
    if reference is not None and reference not in table.coders:
        known = ", ".join(table.coders) or "none"
        raise InvalidInputError(
            f"{path}: reference coder {reference!r} not found (coders: {known})"
        )
    coders = table.coders
    ref = coders.index(reference) if reference is not None else None

    def stats(matrix: list[list[float | None]], scale: list[float] | None) -> dict[str, Any]:
        return rating_stats(matrix, scale, ref, coders).as_dict()

    items = {
        item: stats(
            _matrix(table.values.get(item, {}), table.units, coders),
            _scale_values(chosen, item),
        )
        for item in table.items
    }
    pooled_rows = [
        row
        for item in table.items
        for row in _matrix(table.values.get(item, {}), table.units, coders)
    ]
    pooled_scale = None
    if chosen is not None and chosen.ratings is not None and not _grid_scales(chosen):
        pooled_scale = sorted({v for i in table.items for v in _scale_values(chosen, i) or []})
    total = None
    if chosen is not None and chosen.ratings is not None:
        totals = {key: score(chosen, ratings).total for key, ratings in table.raw.items()}
        matrix = [[totals.get((u, c)) for c in coders] for u in table.units]
        total = stats(matrix, None)
    return {
        "coders": coders,
        "items": items,
        "total": total,
        "pooled": stats(pooled_rows, pooled_scale),
    }


def _scheme(scheme: str | Scheme | None) -> Scheme | None:
    if scheme is None or isinstance(scheme, Scheme):
        return scheme
    try:
        return get_scheme(scheme)
    except NotFoundError as exc:
        raise InvalidInputError(str(exc)) from None


# -- events ------------------------------------------------------------------------------


@dataclass
class _UnitEvents:
    duration_ms: int
    duration_row: int
    coders: dict[str, list[Event]]


def _whole(file: Path, number: int, name: str, text: str) -> int:
    if not _INTEGER.match(text) or int(text) < 0:
        raise InvalidInputError(
            f"{file}: row {number}: {name} {text!r} is not a whole number of ms (0 or more)"
        )
    return int(text)


def read_events(path: str | os.PathLike[str]) -> dict[str, _UnitEvents]:
    """unit -> its duration and each coder's events, every row checked."""
    file = Path(path)
    units: dict[str, _UnitEvents] = {}
    for number, row in read_rows(file, EVENT_COLUMNS):
        unit, coder, code = row["unit"], row["coder"], row["code"]
        for name, cell in (("unit", unit), ("coder", coder)):
            if not cell:
                raise InvalidInputError(f"{file}: row {number}: the {name} is empty")
        duration = _whole(file, number, "duration_ms", row["duration_ms"])
        if duration == 0:
            raise InvalidInputError(f"{file}: row {number}: duration_ms must be above 0")
        entry = units.setdefault(unit, _UnitEvents(duration, number, {}))
        if duration != entry.duration_ms:
            raise InvalidInputError(
                f"{file}: row {number}: unit {unit} has duration_ms {duration}, but "
                f"{entry.duration_ms} in row {entry.duration_row}"
            )
        events = entry.coders.setdefault(coder, [])
        if not code:
            if row["start_ms"] or row["end_ms"]:
                raise InvalidInputError(f"{file}: row {number}: the code is empty")
            continue
        start = _whole(file, number, "start_ms", row["start_ms"])
        end = _whole(file, number, "end_ms", row["end_ms"]) if row["end_ms"] else None
        if end is not None and end <= start:
            raise InvalidInputError(
                f"{file}: row {number}: end_ms {end} is not after start_ms {start} "
                "(leave end_ms empty for a point event)"
            )
        if max(start, end or start) > duration:
            raise InvalidInputError(
                f"{file}: row {number}: the event ends after the clip (duration_ms {duration})"
            )
        events.append(Event(code, start, end))
    for unit, entry in units.items():
        if len(entry.coders) != 2:
            names = ", ".join(entry.coders)
            raise InvalidInputError(
                f"{file}: unit {unit}: {len(entry.coders)} coder(s) ({names}); "
                "event agreement needs exactly two coders per unit"
            )
    return units


def events_report(
    path: str | os.PathLike[str],
    unit_ms: int = 1000,
    overlap: float = 0.6,
    tolerance_ms: int | None = None,
) -> dict[str, Any]:
    """``{"coders", "time_unit", "event", "units": {UNIT: {"time_unit", "event"}}}``.

    ``time_unit`` and ``event`` pool every unit (clip); the first and second coder are the
    ones in the order each unit's rows name them. Pairing is by ``overlap`` unless
    ``tolerance_ms`` is given (see ``vfa.domain.event_agreement``).
    """
    if unit_ms <= 0:
        raise InvalidInputError(f"the time unit must be at least 1 ms, not {unit_ms}")
    if not 0 < overlap <= 1:
        raise InvalidInputError(f"the overlap must be above 0 and at most 1, not {overlap}")
    if tolerance_ms is not None and tolerance_ms < 0:
        raise InvalidInputError(f"the onset tolerance must be 0 ms or more, not {tolerance_ms}")
    units = read_events(path)
    per_time: dict[str, TimeUnitResult] = {}
    per_event: dict[str, EventResult] = {}
    coders: dict[str, list[str]] = {}
    for unit, entry in units.items():
        (name_a, a), (name_b, b) = entry.coders.items()
        coders[unit] = [name_a, name_b]
        per_time[unit] = time_unit_agreement(a, b, entry.duration_ms, unit_ms)
        per_event[unit] = event_agreement(a, b, overlap, tolerance_ms)
    return {"coders": coders, **pooled_events(per_time, per_event, unit_ms, overlap, tolerance_ms)}


def pooled_events(
    per_time: dict[str, TimeUnitResult],
    per_event: dict[str, EventResult],
    unit_ms: int,
    overlap: float,
    tolerance_ms: int | None,
) -> dict[str, Any]:
    """The ``time_unit`` and ``event`` sections pooled over the units (clips), and each
    unit's own under ``units``: the report shape of ``vfa agreement``."""
    return {
        "time_unit": {"unit_ms": unit_ms, **merge_time_units(per_time.values()).as_dict()},
        "event": {
            "overlap": overlap if tolerance_ms is None else None,
            "tolerance_ms": tolerance_ms,
            **merge_events(per_event.values()).as_dict(),
        },
        "units": {
            unit: {"time_unit": per_time[unit].as_dict(), "event": per_event[unit].as_dict()}
            for unit in per_time
        },
    }
